package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketListener;
import dev.agenthub.support.auth.HubPrincipal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

/**
 * One Socket.IO socket of a {@link ConnectionServer}: its events go through the same
 * pipeline as a raw WebSocket's frames, in order, after the connection opened.
 *
 * @param <S> the ingress's session type
 */
final class SocketIoListener<S> implements SocketListener {

	private static final Logger logger = LoggerFactory.getLogger(SocketIoListener.class);

	/** Socket.IO events waiting for the pipeline; more means the client floods. */
	private static final int SOCKET_IO_INBOX = 256;

	/** What a Socket.IO event counts against a byte budget (its size is the engine's). */
	private static final int SOCKET_IO_EVENT_COST = 256;

	private final ConnectionServer<S> server;

	private final HubPrincipal principal;

	private final @Nullable Object context;

	// A queue that grows in small chunks (an idle socket holds a few references, not
	// an array of SOCKET_IO_INBOX), bounded by the count of events waiting.
	private final Sinks.Many<Inbound> inbox = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<Inbound>unbounded(8).get());

	private final AtomicInteger waiting = new AtomicInteger();

	private Conversation<S> conversation;

	private SocketIoTransport transport;

	private Disposable processing;

	SocketIoListener(ConnectionServer<S> server, HubPrincipal principal, @Nullable Object context) {
		this.server = server;
		this.principal = principal;
		this.context = context;
	}

	@Override
	public void onConnect(SioSocket socket) {
		this.transport = new SocketIoTransport(socket, this.server.socketIoServer());
		Connection connection = new Connection(this.transport, this.server.ingress().limits(),
				this.server.ingress().events());
		connection.principal(this.principal);
		this.conversation = new Conversation<>(this.server, connection, this.context);
		this.server.register(connection);
		Mono<Void> opened = this.server.opening(this.conversation.open(null)).cache();
		this.processing = OneAtATime.handle(this.inbox.asFlux(), (Inbound frame) -> {
			this.waiting.decrementAndGet();
			return opened.then(Mono.defer(() -> (frame.delayNanos() > 0)
					? Mono.delay(Duration.ofNanos(frame.delayNanos())).then(this.conversation.handle(frame))
					: this.conversation.handle(frame)));
		}).subscribe(null, (ex) -> logger.warn("Socket.IO socket {} failed", socket.id(), ex));
		opened.subscribe(null, (ex) -> logger.warn("Opening Socket.IO socket {} failed", socket.id(), ex));
	}

	@Override
	public void onEvent(SioSocket socket, SioEvent event) {
		Inbound frame = Inbound.decoded(message(event), SOCKET_IO_EVENT_COST);
		long admitted = this.conversation.admit(frame);
		if (admitted < 0) {
			return;
		}
		if (admitted > 0) {
			// Throttled: handled after the budget allows it (the engine reads on; its
			// inbox bounds what waits).
			frame = frame.after(admitted);
		}
		if (this.waiting.incrementAndGet() > SOCKET_IO_INBOX || this.inbox.tryEmitNext(frame).isFailure()) {
			this.conversation.refuse(ErrorCode.RATE_LIMITED,
					"more than " + SOCKET_IO_INBOX + " events waiting; slow down", CloseCode.RATE_LIMITED);
		}
	}

	private ClientMessage message(SioEvent event) {
		JsonNode data = event.args().isEmpty() ? null : event.args().get(0);
		if (data == null || data.isNull()) {
			data = HubJson.object();
		}
		Integer id = (event.ack() != null) ? this.transport.expectReply(event.ack()) : null;
		return new ClientMessage(event.name(), (id != null) ? IntNode.valueOf(id) : null, data);
	}

	@Override
	public void onDisconnect(SioSocket socket, DisconnectReason reason) {
		if (this.conversation == null) {
			return;
		}
		if (this.processing != null) {
			this.processing.dispose();
		}
		Connection connection = this.conversation.connection();
		if (reason == DisconnectReason.OUTBOUND_OVERFLOW) {
			this.server.ingress().events().slowReader();
		}
		this.transport.disconnected(reason);
		Mono<Void> ended = this.conversation.closed();
		this.server.forget(connection);
		ended.subscribe(null, (ex) -> logger.warn("Closing Socket.IO socket {} failed", socket.id(), ex));
	}

}
