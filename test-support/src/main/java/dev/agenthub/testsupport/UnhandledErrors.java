package dev.agenthub.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Hooks;

/**
 * Fails a test class when a reactive chain dropped an error while it ran: an error with
 * no handler (Reactor's {@code ErrorCallbackNotImplemented}) or one signalled after its
 * chain had ended ({@code onErrorDropped}). Every module's tests load it automatically
 * (JUnit extension auto-detection, {@code META-INF/services}), so "nothing fails
 * unhandled" is checked on every build.
 */
public final class UnhandledErrors implements BeforeAllCallback, AfterAllCallback {

	private static final List<Throwable> DROPPED = new CopyOnWriteArrayList<>();

	static {
		Hooks.onErrorDropped((error) -> {
			if (!network(error)) {
				DROPPED.add(error);
			}
		});
	}

	/**
	 * Whether an error is the network's, reported by the transport after its chain ended
	 * (a peer resetting a connection the hub already let go): not a chain without an
	 * error path.
	 */
	static boolean network(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.io.IOException
					|| cause.getClass().getName().startsWith("reactor.netty.channel.AbortedException")
					|| cause.getClass().getName().endsWith("PrematureCloseException")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		DROPPED.clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		List<Throwable> dropped = new ArrayList<>(DROPPED);
		DROPPED.clear();
		if (!dropped.isEmpty()) {
			AssertionError failure = new AssertionError(
					dropped.size() + " error(s) dropped unhandled by reactive chains in " + context.getDisplayName()
							+ "; the first: " + dropped.get(0));
			dropped.stream().limit(5).forEach(failure::addSuppressed);
			throw failure;
		}
	}

}
