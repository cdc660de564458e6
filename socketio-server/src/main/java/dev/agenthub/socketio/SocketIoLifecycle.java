package dev.agenthub.socketio;

import java.time.Duration;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Graceful shutdown of a {@link SocketIoServer} inside a Spring application: on stop,
 * every session is closed (clients reconnect, elsewhere or later), then an optional
 * follow-up runs. Stops before the web server's graceful shutdown and before the clients
 * (e.g. Redis) the handlers use.
 */
public final class SocketIoLifecycle implements SmartLifecycle, DisposableBean {

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

	private final SocketIoServer server;

	private final Runnable afterShutdown;

	private volatile boolean running;

	/**
	 * @param server the server to shut down
	 * @param afterShutdown what to do once its sessions are closed (e.g. wait for records
	 * the handlers write on disconnect)
	 */
	public SocketIoLifecycle(SocketIoServer server, Runnable afterShutdown) {
		this.server = server;
		this.afterShutdown = afterShutdown;
	}

	@Override
	public void start() {
		// Stopped and started again (Spring pauses cached test contexts this way): take
		// sessions again.
		this.server.reopen();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.server.pause().block(SHUTDOWN_WAIT);
		this.afterShutdown.run();
	}

	@Override
	public void destroy() {
		this.server.shutdown().block(SHUTDOWN_WAIT);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

}
