package dev.agenthub.bench.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.AgentSession;
import dev.agenthub.bench.client.Browser;
import dev.agenthub.bench.client.Retries;
import dev.agenthub.bench.client.Target;
import dev.agenthub.bench.client.Tokens;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The child-process side of the idle and agents scenarios: opens its share of connections
 * from its own loopback source address, prints {@code READY <ok> <failed>}, keeps them
 * alive (application pings or heartbeats spread evenly over the period) and closes them
 * when its standard input ends (the parent closes it or dies).
 */
public final class Workers {

	private Workers() {
	}

	/**
	 * Runs {@code worker-idle} or {@code worker-agents}.
	 * @param o options given by the parent
	 * @throws Exception anything that stops the worker
	 */
	public static void run(BenchOptions o) throws Exception {
		int count = o.integer("count", 1000);
		int base = o.integer("base", 0);
		String source = o.string("source", "127.0.0.1");
		String prefix = o.string("prefix", "bench");
		Duration period = o.duration("period", "25s");
		Tokens tokens = new Tokens(o.secret());
		AtomicLong failures = new AtomicLong();
		Disposable keepAlive;
		Runnable closeAll;
		if ("worker-idle".equals(o.scenario())) {
			Target target = Target.from(o);
			// up and ready: wait for the parent's GO so that JVM start-up is not timed
			System.out.println("STARTED");
			System.out.flush();
			if (o.string("barrier", "false").equals("true")) {
				awaitLine(System.in);
			}
			AtomicLong opened = new AtomicLong();
			Disposable reporter = Flux.interval(Duration.ofMillis(100)).subscribe((t) -> {
				System.out.println("PROGRESS " + opened.get());
				System.out.flush();
			});
			List<Browser> sessions = Sessions.open(count, o.integer("concurrency", 50), Duration.ofSeconds(120),
					(i) -> {
						String workspace = prefix + (base + i);
						return Retries.open(() -> target.browser(base + i, tokens.user(workspace, List.of(workspace)),
								source, (f) -> {
								}))
							.thenCompose(
									(s) -> s.subscribeReply("workspace:" + workspace, null, 0).thenApply((r) -> s));
					}, failures, opened);
			reporter.dispose();
			System.out.println("PROGRESS " + opened.get());
			System.err.println("opens retried after a refusal: " + Retries.opensRetried());
			System.out.println("READY " + sessions.size() + " " + failures.get());
			keepAlive = spread(sessions, period, Browser::ping);
			closeAll = () -> sessions.forEach(Browser::close);
		}
		else if ("worker-agents".equals(o.scenario())) {
			List<AgentSession> agents = Sessions.open(count, 50, Duration.ofSeconds(120), (i) -> {
				String workspace = prefix + (base + i);
				return Retries.open(() -> AgentSession.connect(o.agentUrl(),
						tokens.agent("agent-" + workspace, workspace), workspace, source));
			}, failures);
			System.out.println("READY " + agents.size() + " " + failures.get());
			keepAlive = spread(agents, period, AgentSession::heartbeat);
			closeAll = () -> agents.forEach(AgentSession::close);
		}
		else {
			throw new IllegalArgumentException("unknown worker " + o.scenario());
		}
		System.out.flush();
		awaitEndOfInput(System.in);
		keepAlive.dispose();
		closeAll.run();
		Thread.sleep(1000);
	}

	/**
	 * Calls {@code action} on every item once per period, a slice every 100 ms, so that
	 * keep-alive traffic is even rather than bursty.
	 */
	static <T> Disposable spread(List<T> items, Duration period, java.util.function.Consumer<T> action) {
		int slices = (int) Math.max(1, period.toMillis() / 100);
		return Flux.interval(Duration.ofMillis(100)).subscribe((tick) -> {
			int slice = (int) (tick % slices);
			for (int i = slice; i < items.size(); i += slices) {
				action.accept(items.get(i));
			}
		});
	}

	private static void awaitLine(InputStream in) throws IOException {
		int c;
		do {
			c = in.read();
		}
		while (c >= 0 && c != '\n');
	}

	private static void awaitEndOfInput(InputStream in) {
		try {
			while (in.read() >= 0) {
				// nothing: the parent only closes the stream
			}
		}
		catch (IOException ex) {
			// the parent is gone: stop as well
		}
	}

}
