package dev.agenthub.shim.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one place that decides when the shim exits. Relays report what they see; the main
 * thread waits in {@link #awaitExit()} and ends the process, so no event-loop thread ever
 * calls {@code System.exit}. The first reason wins.
 */
public final class ShimLifecycle {

	/**
	 * How long to wait, after relaying {@code Browser.close}, for the remote Chrome to
	 * answer and hang up before exiting anyway.
	 */
	static final long BROWSER_CLOSE_GRACE_MILLIS = 5_000;

	private final CompletableFuture<ExitReason> exit = new CompletableFuture<>();

	private final AtomicBoolean browserClosing = new AtomicBoolean();

	/**
	 * A client asked the browser to close; the shim exits once the remote hangs up, or
	 * after a grace period.
	 */
	public void browserCloseRequested() {
		if (this.browserClosing.compareAndSet(false, true)) {
			CompletableFuture.delayedExecutor(BROWSER_CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
				.execute(() -> exit(ExitReason.browserClosed()));
		}
	}

	/**
	 * Whether a client asked the browser to close.
	 * @return {@code true} after {@link #browserCloseRequested()}
	 */
	public boolean browserClosing() {
		return this.browserClosing.get();
	}

	/**
	 * A relayed WebSocket ended. After {@code Browser.close} this is the expected ending;
	 * otherwise a single page or client going away is normal and changes nothing.
	 */
	public void relayEnded() {
		if (browserClosing()) {
			exit(ExitReason.browserClosed());
		}
	}

	/**
	 * The connection that proves the remote browser is alive ended.
	 * @param detail what was seen, for the message
	 */
	public void remoteLost(String detail) {
		if (browserClosing()) {
			// Expected after Browser.close; the relay or the grace timer ends the
			// process.
			return;
		}
		exit(ExitReason.remoteGone(detail));
	}

	/**
	 * Requests the exit; the first reason wins.
	 * @param reason why
	 */
	public void exit(ExitReason reason) {
		this.exit.complete(reason);
	}

	/**
	 * Blocks the calling (main) thread until some part of the shim asks to exit.
	 * @return the reason
	 */
	public ExitReason awaitExit() {
		return this.exit.join();
	}

}
