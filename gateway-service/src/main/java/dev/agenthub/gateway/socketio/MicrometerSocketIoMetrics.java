package dev.agenthub.gateway.socketio;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SocketIoMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Socket.IO engine's hooks as Micrometer meters. Hub-level meters (messages,
 * slow-reader and rate-limit closes, recoveries, connections) are the gateway's own and
 * count Socket.IO sockets like raw ones; these add the transport's view. Tags are
 * low-cardinality: transport names and the reference server's disconnect reasons.
 */
public final class MicrometerSocketIoMetrics implements SocketIoMetrics {

	/** Counter: Engine.IO sessions opened; tag {@code transport}. */
	public static final String SESSIONS_OPENED = "hub.socketio.sessions.opened";

	/** Counter: Engine.IO sessions closed; tag {@code reason}. */
	public static final String SESSIONS_CLOSED = "hub.socketio.sessions.closed";

	/** Counter: handshakes refused (capacity, shutdown). */
	public static final String SESSIONS_REJECTED = "hub.socketio.sessions.rejected";

	/** Counter: polling sessions upgraded to WebSocket. */
	public static final String UPGRADES = "hub.socketio.upgrades";

	/** Counter: CONNECTs refused (bad token, unknown namespace). */
	public static final String CONNECTS_REJECTED = "hub.socketio.connects.rejected";

	/**
	 * Counter: sessions closed because their outbound queue overflowed (slow readers).
	 */
	public static final String OVERFLOWS = "hub.socketio.overflows";

	private final MeterRegistry registry;

	private final Counter upgrades;

	private final Counter rejected;

	private final Counter connectRejected;

	private final Counter overflows;

	public MicrometerSocketIoMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.upgrades = registry.counter(UPGRADES);
		this.rejected = registry.counter(SESSIONS_REJECTED);
		this.connectRejected = registry.counter(CONNECTS_REJECTED);
		this.overflows = registry.counter(OVERFLOWS);
	}

	@Override
	public void sessionOpened(String transport) {
		this.registry.counter(SESSIONS_OPENED, "transport", transport).increment();
	}

	@Override
	public void sessionClosed(DisconnectReason reason) {
		this.registry.counter(SESSIONS_CLOSED, "reason", reason.wireName()).increment();
	}

	@Override
	public void upgraded() {
		this.upgrades.increment();
	}

	@Override
	public void sessionRejected() {
		this.rejected.increment();
	}

	@Override
	public void connectRejected(String namespace) {
		this.connectRejected.increment();
	}

	@Override
	public void outboundOverflow() {
		this.overflows.increment();
	}

}
