package dev.agenthub.support.socket;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * How many frames Reactor Netty takes ahead of the socket from a connection's outbound
 * queue: 32, not its default 128. Those frames leave the connection's byte-bounded queue
 * when taken, so a slow reader could pin up to 128 frames (up to 8 MB of the largest
 * events) past its bound, and every connection, idle or not, kept a 128-slot array for
 * them (half a kilobyte). Not fewer: with 8, a burst drains four frames per event-loop
 * task, and one agent's stream to ten browsers showed a longer p99 (docs/benchmarks.md).
 * Set before the first send (Reactor Netty reads it once); a value given on the command
 * line ({@code -Dreactor.netty.send.maxPrefetchSize}) wins.
 */
public final class SendPrefetch implements EnvironmentPostProcessor {

	/** Reactor Netty's system property. */
	public static final String PROPERTY = "reactor.netty.send.maxPrefetchSize";

	/** The hub's prefetch, in frames. */
	public static final int FRAMES = 32;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		apply();
	}

	/** Sets the hub's prefetch unless one is set already. */
	public static void apply() {
		if (System.getProperty(PROPERTY) == null) {
			System.setProperty(PROPERTY, Integer.toString(FRAMES));
		}
	}

}
