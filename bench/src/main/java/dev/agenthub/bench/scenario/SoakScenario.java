package dev.agenthub.bench.scenario;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.Agent;
import dev.agenthub.bench.client.Browser;
import dev.agenthub.bench.client.PublishClient;
import dev.agenthub.bench.client.Target;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.Frames;
import dev.agenthub.bench.metrics.HubProcess;
import dev.agenthub.bench.metrics.LogLines;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Soak (issue 15): for {@code --duration} (1h) {@code --browsers} (1,000) browsers watch
 * {@code --agents} (100) agents that stream tab output ({@code --chunk-rate} chunks/s
 * each) and heartbeat; {@code --churn} extra users per {@code --churn-every} come and go
 * (presence changes; not counted as viewers); {@code --publish-rate} events/s go through
 * the publish API. Every {@code --sample} (10s) one CSV row: the server's RSS, heap in
 * use, heap after a full GC (every {@code --gc-every}-th sample), file descriptors,
 * threads, chunks sent and received, errors and warnings in its log ({@code --log}). At
 * the end: drift of RSS and heap after GC from minute 10 (or the first third) to the end,
 * and what was lost. {@code bench/soak-plot.sh <csv>} draws the curve.
 */
public final class SoakScenario implements Scenario {

	private static final Pattern LOG_ERROR = Pattern.compile(" ERROR |Exception|onErrorDropped");

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		Target target = Target.from(o);
		HubProcess server = target.process(o);
		Duration duration = o.duration("duration", "60m");
		int browserCount = o.integer("browsers", 1000);
		int agentCount = o.integer("agents", 100);
		int chunkRate = o.integer("chunk-rate", 10);
		Duration heartbeat = o.duration("heartbeat", "10s");
		int churn = o.integer("churn", 10);
		Duration churnEvery = o.duration("churn-every", "10s");
		int publishRate = o.integer("publish-rate", 20);
		Duration sample = o.duration("sample", "10s");
		int gcEvery = o.integer("gc-every", 6);
		String logFile = o.string("log", "");
		Path csv = o.resultsDir().resolve("soak-" + STAMP.format(Instant.now()) + ".csv");
		Tokens tokens = new Tokens(o.secret());
		String prefix = "bench-soak-" + System.currentTimeMillis() + "-";
		List<String> workspaces = new ArrayList<>();
		for (int i = 0; i < agentCount; i++) {
			workspaces.add(prefix + i);
		}
		LongAdder chunksReceived = new LongAdder();
		LongAdder eventsReceived = new LongAdder();
		java.util.function.Consumer<io.netty.buffer.ByteBuf> listener = (frame) -> {
			chunksReceived.add(Frames.markers(frame, (ts) -> {
			}));
			eventsReceived.increment();
		};
		// browser i watches agent i % agents: each agent has browsers / agents viewers
		Browser[] browsers = new Browser[browserCount];
		AtomicLong failures = new AtomicLong();
		List<Browser> opened = Sessions.open(browserCount, 100, Duration.ofSeconds(60), (i) -> {
			String w = workspaces.get(i % agentCount);
			return target.browser(i, tokens.user("soak-user-" + i, List.of(w)), "127.0.0.70", listener)
				.thenCompose((b) -> b.subscribeReply("workspace:" + w, null, 0).thenApply((r) -> {
					browsers[i] = b;
					return b;
				}));
		}, failures);
		List<Agent> agents = Sessions.open(
				agentCount, 50, Duration.ofSeconds(60), (i) -> target
					.agent(tokens.agent("soak-agent-" + i, workspaces.get(i)), workspaces.get(i), "127.0.0.71"),
				failures);
		System.err.printf("soak: %d browsers, %d agents (%d failed) on %s; %s, one sample per %s into %s%n",
				opened.size(), agents.size(), failures.get(), target.name(), duration, sample, csv);
		PublishClient publisher = new PublishClient(target.publishUrl(), tokens.service(), 16);
		AtomicLong chunksSent = new AtomicLong();
		AtomicLong chunksNotSent = new AtomicLong();
		AtomicLong publishOk = new AtomicLong();
		AtomicLong publishFailed = new AtomicLong();
		AtomicLong churned = new AtomicLong();
		AtomicLong churnFailed = new AtomicLong();
		int perTick = Math.max(1, chunkRate / 10);
		List<Disposable> load = new ArrayList<>();
		// agents: chunkRate chunks/s each, in ticks of 100 ms
		load.add(Flux.interval(Duration.ofMillis(100)).subscribe((t) -> {
			for (Agent a : agents) {
				for (int k = 0; k < perTick; k++) {
					if (a.tabOutput("t1", Payloads.chunk(100))) {
						chunksSent.incrementAndGet();
					}
					else {
						chunksNotSent.incrementAndGet();
					}
				}
			}
		}));
		load.add(Workers.spread(agents, heartbeat, Agent::heartbeat));
		load.add(Workers.spread(opened, Duration.ofSeconds(25), Browser::ping));
		// publishes through the API, round robin over the agents' workspaces
		load.add(Flux.interval(Duration.ofMillis(Math.max(1, 1000 / Math.max(1, publishRate)))).subscribe((seq) -> {
			publisher
				.publish("workspace:" + workspaces.get((int) (seq % agentCount)), "bench", Payloads.stamped(100, seq))
				.subscribe((ok) -> (ok ? publishOk : publishFailed).incrementAndGet());
		}));
		// presence churn: extra users (not counted as viewers) come and go in a workspace
		Browser[] churners = new Browser[Math.max(1, churn)];
		load.add(Flux.interval(churnEvery).subscribe((tick) -> {
			for (int k = 0; k < churn; k++) {
				Browser old = churners[k];
				churners[k] = null;
				if (old != null) {
					old.close();
				}
				int user = (int) ((tick * churn + k) % 10_000);
				String w = workspaces.get(user % agentCount);
				int slot = k;
				target.browser(user, tokens.user("soak-churn-" + user, List.of(w)), "127.0.0.72", (f) -> {
				})
					.thenCompose((b) -> b.subscribeReply("workspace:" + w, null, 0).thenApply((r) -> b))
					.orTimeout(30, TimeUnit.SECONDS)
					.whenComplete((b, e) -> {
						if (b != null) {
							churners[slot] = b;
							churned.incrementAndGet();
						}
						else {
							churnFailed.incrementAndGet();
						}
					});
			}
		}));
		long t0 = System.nanoTime();
		long end = t0 + duration.toNanos();
		List<long[]> rows = new ArrayList<>();
		long logFrom = logFile.isBlank() ? 0 : sizeOf(Path.of(logFile));
		try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
			out.println("seconds,rss_kb,heap_used_kb,heap_after_gc_kb,fds,threads,chunks_sent,chunks_received,"
					+ "events_received,publishes_ok,log_errors,browsers_open,agents_open");
			int n = 0;
			while (System.nanoTime() < end) {
				long next = System.nanoTime() + sample.toNanos();
				long heapAfterGc = (server.jvm() && n % gcEvery == 0) ? server.heapUsedAfterGc() / 1024 : -1;
				long[] row = { (System.nanoTime() - t0) / 1_000_000_000L, server.rssBytes() / 1024,
						server.jvm() ? server.heapUsed() / 1024 : -1, heapAfterGc, server.openFiles(), server.threads(),
						chunksSent.get(), chunksReceived.sum(), eventsReceived.sum(), publishOk.get(),
						logFile.isBlank() ? -1 : countLines(Path.of(logFile), logFrom), countOpen(browsers),
						agents.stream().filter((a) -> !a.conn().closed().isDone()).count() };
				rows.add(row);
				StringBuilder line = new StringBuilder();
				for (int k = 0; k < row.length; k++) {
					line.append((k > 0) ? "," : "").append((row[k] < 0) ? "" : Long.toString(row[k]));
				}
				out.println(line);
				out.flush();
				n++;
				Thread.sleep(Math.max(0, Math.min(next, end) - System.nanoTime()) / 1_000_000);
			}
		}
		finally {
			load.forEach(Disposable::dispose);
		}
		long sentFinal = chunksSent.get();
		long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		long expected = sentFinal * (browserCount / Math.max(1, agentCount));
		while (chunksReceived.sum() < expected && System.nanoTime() < until) {
			Thread.sleep(50);
		}
		agents.forEach(Agent::close);
		for (Browser b : browsers) {
			if (b != null) {
				b.close();
			}
		}
		for (Browser b : churners) {
			if (b != null) {
				b.close();
			}
		}
		return summarize(rows, csv, target, sentFinal, chunksNotSent.get(), expected, chunksReceived.sum(),
				publishOk.get(), publishFailed.get(), churned.get(), churnFailed.get(), duration);
	}

	private Outcome summarize(List<long[]> rows, Path csv, Target target, long sent, long notSent, long expected,
			long received, long publishOk, long publishFailed, long churned, long churnFailed, Duration duration) {
		Outcome out = new Outcome();
		Map<String, Object> m = out.metrics();
		m.put("target", target.name());
		m.put("csv", csv.toString());
		m.put("samples", rows.size());
		m.put("chunksSent", sent);
		m.put("chunksNotSent", notSent);
		m.put("chunkDeliveriesExpected", expected);
		m.put("chunkDeliveriesReceived", received);
		m.put("chunkDeliveriesLost", Math.max(0, expected - received));
		m.put("publishesOk", publishOk);
		m.put("publishesFailed", publishFailed);
		m.put("browsersChurned", churned);
		m.put("churnFailures", churnFailed);
		if (!rows.isEmpty()) {
			// from minute 10 (or a third of a shorter run) to the end
			long from = Math.min(600, duration.toSeconds() / 3);
			long[] first = rows.stream().filter((r) -> r[0] >= from).findFirst().orElse(rows.get(0));
			long[] last = rows.get(rows.size() - 1);
			// RSS compared on the samples taken right after a full GC, like the heap: in
			// between, G1 regrows the heap it gave back (by 40 % in a 30-minute run), so
			// two samples in different phases show a drift that is only the phase.
			long[][] gc = afterGcEnds(rows, from);
			long[][] rss = rssEnds(rows, from);
			m.put("driftFromSecond", first[0]);
			m.put("rssDriftPercent", pct(rss[0][1], rss[1][1]));
			m.put("rssAfterGc", gc != null);
			m.put("heapAfterGcDriftPercent", (gc != null) ? pct(gc[0][3], gc[1][3]) : null);
			m.put("fdsFirstLast", first[4] + " → " + last[4]);
			m.put("threadsFirstLast", first[5] + " → " + last[5]);
			m.put("logErrors", last[10]);
			out.key("RSS drift %", (Number) m.get("rssDriftPercent"));
			out.key("heap after GC drift %", (Number) m.get("heapAfterGcDriftPercent"));
			out.key("fds at end", last[4]);
			out.key("threads at end", last[5]);
			out.key("log errors", last[10]);
			out.row(((Boolean) m.get("rssAfterGc") ? "RSS after a full GC, second " : "RSS, second ") + rss[0][0]
					+ " → " + rss[1][0] + ", KB",
					rss[0][1] + " → " + rss[1][1] + " (" + m.get("rssDriftPercent") + " %)", "±5 %");
			LongSummaryStatistics range = rows.stream()
				.filter((r) -> r[0] >= from)
				.mapToLong((r) -> r[1])
				.summaryStatistics();
			out.row("RSS range from second " + first[0] + ", KB", range.getMin() + " – " + range.getMax(), "");
			out.row("heap after GC, KB", (gc != null)
					? gc[0][3] + " → " + gc[1][3] + " (" + m.get("heapAfterGcDriftPercent") + " %)" : "n/a", "±5 %");
			out.row("file descriptors; threads", first[4] + " → " + last[4] + "; " + first[5] + " → " + last[5],
					"flat");
			out.row("errors in the log", (last[10] < 0) ? "not read" : last[10], "0");
		}
		out.key("chunk deliveries lost", (Number) m.get("chunkDeliveriesLost"));
		out.row("chunk deliveries received / expected (lost)",
				received + " / " + expected + " (" + m.get("chunkDeliveriesLost") + ")", "0 lost");
		out.row("publishes ok / failed; browsers churned (failed)",
				publishOk + " / " + publishFailed + "; " + churned + " (" + churnFailed + ")", "");
		out.row("curve", "`" + csv.getFileName() + "` (bench/soak-plot.sh renders it)", "");
		return out;
	}

	/**
	 * The first and the last sample from {@code from} on that were taken right after a
	 * full GC (heap after GC, column 3, set), or {@code null} when fewer than two were (a
	 * server that is not a JVM).
	 */
	static long[][] afterGcEnds(List<long[]> rows, long from) {
		long[] first = null;
		long[] last = null;
		for (long[] r : rows) {
			if (r[0] >= from && r[3] >= 0) {
				if (first == null) {
					first = r;
				}
				last = r;
			}
		}
		return (first != null && first != last) ? new long[][] { first, last } : null;
	}

	/**
	 * The two samples whose RSS the drift compares: those of {@link #afterGcEnds}, or the
	 * first from {@code from} on and the last when there are none.
	 */
	static long[][] rssEnds(List<long[]> rows, long from) {
		long[][] gc = afterGcEnds(rows, from);
		if (gc != null) {
			return gc;
		}
		long[] start = rows.stream().filter((r) -> r[0] >= from).findFirst().orElse(rows.get(0));
		return new long[][] { start, rows.get(rows.size() - 1) };
	}

	private static double pct(long from, long to) {
		return (from <= 0) ? 0 : Math.round((to - from) * 1000.0 / from) / 10.0;
	}

	private static long countOpen(Browser[] browsers) {
		long n = 0;
		for (Browser b : browsers) {
			if (b != null && !b.conn().closed().isDone()) {
				n++;
			}
		}
		return n;
	}

	private static long sizeOf(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static long countLines(Path log, long from) {
		return LogLines.countMatching(log, from, LOG_ERROR);
	}

}
