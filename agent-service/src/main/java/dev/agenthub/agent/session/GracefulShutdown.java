package dev.agenthub.agent.session;

import java.time.Duration;

import dev.agenthub.support.connection.ConnectionServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Graceful shutdown: refuse new agents, close every agent socket with 1001 (agents
 * reconnect, possibly to another instance), and wait (bounded) until each session's end
 * was handled: lease released, state written, queued events published. Stops before the
 * web server's own graceful shutdown, which would otherwise wait on the open sockets.
 */
@Component
class GracefulShutdown implements SmartLifecycle {

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(8);

	private final ConnectionServer<AgentSession> core;

	private final AgentRegistry registry;

	private volatile boolean running;

	GracefulShutdown(ConnectionServer<AgentSession> core, AgentRegistry registry) {
		this.core = core;
		this.registry = registry;
	}

	@Override
	public void start() {
		this.core.start();
		this.running = true;
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("stop(Runnable) is used");
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		this.core.drain();
		this.core.stop();
		Flux.interval(Duration.ofMillis(20))
			.takeUntil((n) -> this.registry.idle())
			.take(DRAIN_TIMEOUT)
			.doFinally((signal) -> callback.run())
			.subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Above the web server's graceful shutdown (DEFAULT_PHASE - 1024): stops first.
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
