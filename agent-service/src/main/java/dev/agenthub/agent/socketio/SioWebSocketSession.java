package dev.agenthub.agent.socketio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.socketio.Ack;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioSocket;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Socket.IO socket seen as a WebSocket session speaking the raw agent protocol: each
 * event {@code name(data[, ack])} arrives as {@code {"type": name, "data": data}} (with
 * an {@code id} when the client wants an ack), and each server message goes out as the
 * event named by its {@code type} with its {@code data}, or, when it answers an acked
 * event, through that ack. Closing with a code the client should reconnect after closes
 * the whole Engine.IO session; other codes disconnect the namespace ({@code io server
 * disconnect}).
 */
final class SioWebSocketSession implements WebSocketSession {

	/** Events waiting for the protocol handler; more means it cannot keep up: closed. */
	private static final int MAX_INBOX = 256;

	/** Messages the raw protocol replies to (with the request's id). */
	private static final Set<String> REPLIED = Set.of(MessageTypes.REGISTER, MessageTypes.PING);

	/** Acks waiting for their reply, at most. */
	private static final int MAX_ACKS = 128;

	private static final DataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

	private final SioSocket socket;

	private final HandshakeInfo handshake;

	private final Sinks.Many<WebSocketMessage> inbox = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<WebSocketMessage>get(MAX_INBOX).get());

	private final Sinks.One<CloseStatus> closed = Sinks.one();

	private final Map<Integer, Ack> acks = new ConcurrentHashMap<>();

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private int nextId;

	SioWebSocketSession(SioSocket socket, String token) {
		this.socket = socket;
		URI uri = UriComponentsBuilder.fromUriString("ws://socket.io/agent")
			.queryParam("token", "{token}")
			.encode()
			.buildAndExpand(token)
			.toUri();
		HttpHeaders headers = new HttpHeaders();
		headers.addAll(socket.handshake().headers());
		headers.remove(HttpHeaders.AUTHORIZATION);
		this.handshake = new HandshakeInfo(uri, headers, Mono.empty(), null);
	}

	/** An event from the client, in the order received (called serially). */
	void inbound(SioEvent event) {
		ObjectNode message = HubJson.object();
		message.put("type", event.name());
		if (event.ack() != null && (!REPLIED.contains(event.name()) || this.acks.size() >= MAX_ACKS)) {
			// The raw protocol has no reply for this message (errors come as error
			// events): the ack says it was taken.
			event.ack().send(HubJson.object().put("ok", true));
		}
		else if (event.ack() != null) {
			int id = ++this.nextId;
			this.acks.put(id, event.ack());
			message.put("id", id);
		}
		JsonNode data = event.args().isEmpty() ? null : event.args().get(0);
		if (data != null) {
			message.set("data", data);
		}
		byte[] text = HubJson.writeBytes(message);
		if (this.inbox.tryEmitNext(new WebSocketMessage(WebSocketMessage.Type.TEXT, BUFFERS.wrap(text))).isFailure()) {
			this.socket.close();
		}
	}

	/** The socket is gone (for any reason). */
	void disconnected() {
		this.inbox.tryEmitComplete();
		this.closed.tryEmitValue(CloseStatus.GOING_AWAY);
	}

	@Override
	public Mono<Void> send(Publisher<WebSocketMessage> messages) {
		return Flux.from(messages).doOnNext(this::outbound).then();
	}

	private void outbound(WebSocketMessage message) {
		if (message.getType() != WebSocketMessage.Type.TEXT) {
			// WebSocket pings: the engine runs its own heartbeat.
			return;
		}
		JsonNode json = HubJson.parse(message.getPayloadAsText(StandardCharsets.UTF_8));
		String type = json.path("type").asString("message");
		JsonNode data = json.has("data") ? json.get("data") : HubJson.object();
		JsonNode id = json.get("id");
		Ack ack = (id != null && id.canConvertToInt()) ? this.acks.remove(id.asInt()) : null;
		if (ack != null) {
			ack.send(data);
		}
		else {
			this.socket.emit(type, data);
		}
	}

	@Override
	public Mono<Void> close(CloseStatus status) {
		return Mono.fromRunnable(() -> {
			CloseCode code = CloseCode.of(status.getCode());
			if (code != null && !code.reconnect()) {
				this.socket.disconnect();
			}
			else {
				this.socket.close();
			}
			disconnected();
		});
	}

	@Override
	public String getId() {
		return this.socket.id();
	}

	@Override
	public HandshakeInfo getHandshakeInfo() {
		return this.handshake;
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return BUFFERS;
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public Flux<WebSocketMessage> receive() {
		return this.inbox.asFlux();
	}

	@Override
	public boolean isOpen() {
		return this.socket.connected();
	}

	@Override
	public Mono<CloseStatus> closeStatus() {
		return this.closed.asMono();
	}

	@Override
	public WebSocketMessage textMessage(String payload) {
		return new WebSocketMessage(WebSocketMessage.Type.TEXT, BUFFERS.wrap(payload.getBytes(StandardCharsets.UTF_8)));
	}

	@Override
	public WebSocketMessage binaryMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
		return new WebSocketMessage(WebSocketMessage.Type.BINARY, payloadFactory.apply(BUFFERS));
	}

	@Override
	public WebSocketMessage pingMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
		return new WebSocketMessage(WebSocketMessage.Type.PING, payloadFactory.apply(BUFFERS));
	}

	@Override
	public WebSocketMessage pongMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
		return new WebSocketMessage(WebSocketMessage.Type.PONG, payloadFactory.apply(BUFFERS));
	}

}
