package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.List;

import dev.agenthub.support.connection.ConnectionServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The gateway's node lifecycle: starts the connection core's heartbeats (pings, idle
 * timeout, token expiry) and a node heartbeat for features (presence); on shutdown,
 * refuses new connections and closes every socket with 1001 before the server stops.
 */
@Component
public class Heartbeats implements SmartLifecycle {

	private static final Duration NODE_TICK = Duration.ofSeconds(5);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private final ConnectionServer<GatewaySession> core;

	private final List<GatewaySession.SessionListener> listeners;

	private volatile Disposable timer;

	public Heartbeats(ConnectionServer<GatewaySession> core, List<GatewaySession.SessionListener> listeners) {
		this.core = core;
		this.listeners = listeners;
	}

	@Override
	public void start() {
		this.core.start();
		this.timer = Flux.interval(NODE_TICK, NODE_TICK).subscribe((n) -> {
			for (GatewaySession.SessionListener listener : this.listeners) {
				listener.heartbeat();
			}
		});
	}

	@Override
	public void stop() {
		// waits for the connections to close, so that what their end sets off (presence)
		// runs before the engine closes
		this.core.drain(DRAIN_TIMEOUT);
		this.core.stop();
		if (this.timer != null) {
			this.timer.dispose();
		}
		this.timer = null;
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

}
