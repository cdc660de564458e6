package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.List;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.config.GatewayProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Keeps connections honest with one timer for the whole node (not one per connection):
 * every ping interval a WebSocket ping and an app-level {@code {"type":"ping"}}; a
 * connection silent for the idle timeout is closed (4011). On shutdown, refuses new
 * connections and closes every socket with 1001 before the server stops.
 */
@Component
public class Heartbeats implements SmartLifecycle {

	private final SessionRegistry registry;

	private final RawSocketHandler handler;

	private final GatewayProperties properties;

	private final List<GatewaySession.SessionListener> listeners;

	private volatile Disposable timer;

	public Heartbeats(SessionRegistry registry, RawSocketHandler handler, GatewayProperties properties,
			List<GatewaySession.SessionListener> listeners) {
		this.registry = registry;
		this.handler = handler;
		this.properties = properties;
		this.listeners = listeners;
	}

	@Override
	public void start() {
		Duration tick = min(Duration.ofSeconds(5), this.properties.idleTimeout().dividedBy(4));
		long pingEvery = Math.max(1, this.properties.pingInterval().toNanos() / tick.toNanos());
		this.timer = Flux.interval(tick, tick).subscribe((n) -> sweep((n + 1) % pingEvery == 0));
	}

	private void sweep(boolean ping) {
		long now = System.nanoTime();
		long idle = this.properties.idleTimeout().toNanos();
		byte[] appPing = ping ? ServerMessage.of(MessageTypes.PING, null, null)
			.encode()
			.getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
		for (GatewaySession session : this.registry.sessions()) {
			if (session.connection() == null) {
				continue; // Socket.IO: the engine runs its own heartbeat
			}
			if (now - session.connection().lastSeenNanos() > idle) {
				session.close(CloseCode.HEARTBEAT_TIMEOUT,
						"no message for " + this.properties.idleTimeout().toSeconds() + " s");
			}
			else if (ping && session.principal() != null) {
				session.connection().ping();
				session.sendFrame(appPing);
			}
		}
		for (GatewaySession.SessionListener listener : this.listeners) {
			listener.heartbeat();
		}
	}

	@Override
	public void stop() {
		this.handler.drain();
		if (this.timer != null) {
			this.timer.dispose();
		}
		for (GatewaySession session : this.registry.sessions()) {
			session.close(CloseCode.GOING_AWAY, "server is shutting down");
		}
		this.timer = null;
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
