package dev.agenthub.support.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The mechanics every hub WebSocket connection shares: a byte-bounded outbound queue
 * (overflow closes with 4010), an inbound token-bucket rate limit, liveness time, and a
 * close that lets queued frames (e.g. the error saying why) go out first.
 */
public final class SocketConnection {

	private static final int FLUSH_SECONDS = 2;

	private static final byte[] PING_PAYLOAD = new byte[0];

	private final WebSocketSession socket;

	private final Outbound outbound;

	private final RateLimiter rateLimiter;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Sinks.Empty<Void> outputDone = Sinks.empty();

	private final Runnable onSlowReader;

	private volatile long lastSeenNanos = System.nanoTime();

	/**
	 * @param socket the WebSocket
	 * @param maxOutboundBytes bytes queued before a slow reader is closed
	 * @param ratePerSecond sustained inbound messages per second
	 * @param rateBurst inbound burst
	 * @param onSlowReader told before a slow reader is closed (metrics)
	 */
	public SocketConnection(WebSocketSession socket, int maxOutboundBytes, int ratePerSecond, int rateBurst,
			Runnable onSlowReader) {
		this.socket = socket;
		this.outbound = new Outbound(maxOutboundBytes);
		this.rateLimiter = new RateLimiter(ratePerSecond, rateBurst);
		this.onSlowReader = onSlowReader;
	}

	/** What the handler sends: the queued frames, until the connection closes. */
	public Mono<Void> output() {
		return this.socket.send(this.outbound.messages(this.socket))
			.doFinally((signal) -> this.outputDone.tryEmitEmpty());
	}

	/** Queues a control message. */
	public void send(ServerMessage message) {
		sendFrame(message.encode().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Queues an encoded frame (possibly shared with other recipients); closes a slow
	 * reader.
	 */
	public void sendFrame(byte[] utf8) {
		if (this.closed.get()) {
			return;
		}
		if (!this.outbound.offer(utf8, false)) {
			this.onSlowReader.run();
			close(CloseCode.SLOW_READER, "outbound queue over its bound");
		}
	}

	/**
	 * Queues a frame of a recovery replay: bounded by the caller, not counted against the
	 * slow-reader bound.
	 */
	public void sendReplayFrame(byte[] utf8) {
		if (!this.closed.get()) {
			this.outbound.offerReplay(utf8);
		}
	}

	/** Queues a WebSocket ping. */
	public void ping() {
		if (!this.closed.get() && !this.outbound.offer(PING_PAYLOAD, true)) {
			close(CloseCode.SLOW_READER, "outbound queue over its bound");
		}
	}

	/** Takes an inbound token; {@code false} when the client is over its rate. */
	public boolean tryAcquireInbound() {
		return this.rateLimiter.tryAcquire();
	}

	/** Notes that the client was heard from. */
	public void touch() {
		this.lastSeenNanos = System.nanoTime();
	}

	/** When the client was last heard from ({@link System#nanoTime()}). */
	public long lastSeenNanos() {
		return this.lastSeenNanos;
	}

	public boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Closes with a catalogued code, once. Queued frames go out first, for at most
	 * {@value #FLUSH_SECONDS} s; a slow reader's queue is dropped.
	 */
	public void close(CloseCode code, String reason) {
		if (this.closed.compareAndSet(false, true)) {
			this.outbound.complete();
			Mono<Void> flushed = (code == CloseCode.SLOW_READER) ? Mono.empty()
					: this.outputDone.asMono()
						.timeout(Duration.ofSeconds(FLUSH_SECONDS))
						.onErrorResume((ex) -> Mono.empty());
			String text = (reason.length() > 100) ? reason.substring(0, 100) : reason;
			flushed.then(this.socket.close(new CloseStatus(code.code(), text))).subscribe(null, (ex) -> {
				// The peer may already be gone; nothing more to do.
			});
		}
	}

	/** Marks the connection closed by the peer. */
	public void markClosed() {
		this.closed.set(true);
		this.outbound.complete();
	}

	/**
	 * Reads frames out of Netty's buffers as they arrive (Netty releases a frame once the
	 * step that got it returns), for handling one at a time afterwards.
	 */
	public static Flux<Inbound> receive(WebSocketSession socket) {
		return socket.receive().map(Inbound::of);
	}

	/** The token of a handshake: {@code ?token=} or {@code Authorization: Bearer}. */
	public static String tokenOf(HandshakeInfo handshake) {
		String query = UriComponentsBuilder.fromUri(handshake.getUri()).build().getQueryParams().getFirst("token");
		if (query != null && !query.isBlank()) {
			return query;
		}
		String header = handshake.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return header.substring(7).trim();
		}
		return null;
	}

	/**
	 * An inbound frame read out of Netty's buffer; text only for text frames up to 1 MiB
	 * (larger ones are refused by size, unread).
	 *
	 * @param type the frame type
	 * @param size its payload size in bytes
	 * @param text its text, or {@code null}
	 */
	public record Inbound(WebSocketMessage.Type type, int size, String text) {

		private static final int TEXT_READ_LIMIT = 1024 * 1024;

		static Inbound of(WebSocketMessage message) {
			int size = message.getPayload().readableByteCount();
			boolean text = message.getType() == WebSocketMessage.Type.TEXT && size <= TEXT_READ_LIMIT;
			return new Inbound(message.getType(), size, text ? message.getPayloadAsText() : null);
		}

		/** Whether this is a ping or pong (answered by the transport). */
		public boolean control() {
			return this.type == WebSocketMessage.Type.PING || this.type == WebSocketMessage.Type.PONG;
		}

	}

}
