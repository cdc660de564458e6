package dev.agenthub.bench.scenario;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.DaemonThreads;
import dev.agenthub.bench.client.PublishClient;
import dev.agenthub.bench.client.RateDriver;
import dev.agenthub.bench.client.StormClient;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.CpuSamples;
import dev.agenthub.bench.metrics.HubProcess;
import dev.agenthub.bench.metrics.LogLines;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reconnect storm (issue 15): {@code --clients} (10,000) browsers on gateway A, a mix of
 * raw and Socket.IO ({@code --sio-share}, 0.5), each subscribed to its own workspace
 * channel and one shared channel; a steady publisher on the shared channel
 * ({@code --shared-rate}/s) and round-robin over the own channels
 * ({@code --channel-rate}/s), through the publish API. After {@code --steady} the gateway
 * A process is killed with SIGKILL; every client reconnects to gateway B at once with its
 * resume point (bounded by {@code --reconnect-concurrency} handshakes in flight). Reports
 * the time from the kill to the last resume, p50/p99 resume time, clients not recovered,
 * gaps (and the events they skipped), duplicates and events missing at the end, and the
 * lines in the gateways' logs ({@code --logs}) that show Redis timeouts or unhandled
 * errors. The gateways may be the incumbent's ({@code bench/run.sh storm-incumbent}:
 * every client Socket.IO, the incumbent stamping {@code <channel>@<n>} where the hub puts
 * its offset, {@code --aux-name=redis} for the third process sampled).
 */
public final class StormScenario implements Scenario {

	private static final Pattern LOG_PROBLEM = Pattern.compile(
			"RedisCommandTimeoutException|Command timed out|ErrorCallbackNotImplemented|onErrorDropped|Operator called default onErrorDropped|OutOfMemoryError|Exception: ");

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		int clients = o.integer("clients", 10_000);
		double sioShare = Double.parseDouble(o.string("sio-share", "0.5"));
		String gatewayA = o.string("gateway-a", "ws://127.0.0.1:18180/ws");
		String gatewayB = o.string("gateway-b", "ws://127.0.0.1:18280/ws");
		int sharedRate = o.integer("shared-rate", 5);
		int channelRate = o.integer("channel-rate", 200);
		Duration steady = o.duration("steady", "10s");
		Duration after = o.duration("after", "20s");
		// a client still resuming this long after its socket closed counts as failed
		// (a slow machine takes B minutes to accept 10,000: slow is not failed)
		Duration resumeTimeout = o.duration("resume-timeout", "120s");
		int concurrency = o.integer("reconnect-concurrency", 2000);
		int sources = o.integer("source-addresses", 4);
		// the third process sampled (--hub-pid): the bench hub, or Redis
		// when the gateways are the incumbent's
		String auxName = o.string("aux-name", "hub");
		List<Path> logs = new ArrayList<>();
		for (String l : o.string("logs", "").split(",")) {
			if (!l.isBlank()) {
				logs.add(Path.of(l.trim()));
			}
		}
		Map<Path, Long> logStart = new LinkedHashMap<>();
		for (Path l : logs) {
			logStart.put(l, Files.exists(l) ? Files.size(l) : 0L);
		}
		HubProcess victim = HubProcess.find(Long.parseLong(o.string("gateway-a-pid", "0")),
				URI.create(gatewayA).getPort());
		Tokens tokens = new Tokens(o.secret());
		String prefix = "bench-storm-" + System.currentTimeMillis() + "-";
		String shared = "workspace:" + prefix + "shared";
		List<StormClient> all = new ArrayList<>(clients);
		for (int i = 0; i < clients; i++) {
			String own = prefix + i;
			// spread evenly: client i speaks Socket.IO when the running share steps up
			boolean sio = Math.floor((i + 1) * sioShare) > Math.floor(i * sioShare);
			all.add(new StormClient(tokens.user(own, List.of(own, prefix + "shared")), sio, "workspace:" + own,
					shared));
		}
		// 0. optionally, gateway B serves and resumes clients of its own first, as a
		// gateway of a running fleet has (its code compiled): they leave before the storm
		int warmB = o.integer("warm-b", 0);
		if (warmB > 0) {
			warm(warmB, gatewayB, tokens, prefix + "warm-", shared, sioShare, sources);
		}
		// 1. everyone on gateway A, with the CPU of gateway A, the hub (or Redis) and the
		// generator sampled meanwhile: are the opens bound by the cores or by waiting?
		HubProcess aux = HubProcess.find(Long.parseLong(o.string("hub-pid", "0")),
				URI.create(o.gatewayUrl()).getPort());
		CpuSamples openCpu = new CpuSamples(List.of(victim, aux, new HubProcess(ProcessHandle.current().pid())));
		AtomicLong failures = new AtomicLong();
		long t0 = System.nanoTime();
		openCpu.start();
		List<StormClient> open = Sessions.open(clients, 200, Duration.ofSeconds(120),
				(i) -> all.get(i).start(gatewayA, "127.0.0." + (50 + i % sources)), failures);
		long opened = System.nanoTime();
		openCpu.stop();
		double[] openUsed = openCpu.secondsUntil(opened);
		double connectSeconds = (opened - t0) / 1e9;
		System.err.printf("storm: %d on gateway A (%d failed) in %.1f s%n", open.size(), failures.get(),
				connectSeconds);
		long[] ownStart = new long[clients];
		for (int i = 0; i < clients; i++) {
			ownStart[i] = all.get(i).last(false);
		}
		long sharedStart = open.isEmpty() ? 0 : open.get(0).last(true);

		// 2. steady publishers, running through the kill until the end
		PublishClient publisher = new PublishClient(o.publishUrl(), tokens.service(), o.integer("in-flight", 32));
		AtomicIntegerArray okPerClient = new AtomicIntegerArray(clients);
		LongAdder sharedOk = new LongAdder();
		Duration publishFor = steady.plus(after);
		// each publish loop on a thread of its own, not the common pool (one worker on
		// two
		// cores: a loop there for 30 s starves whatever else the JDK runs on it)
		ExecutorService drivers = Executors.newFixedThreadPool(2, DaemonThreads.named("storm-publisher"));
		CompletableFuture<Map<String, Object>> sharedRun = CompletableFuture.supplyAsync(() -> drive(sharedRate,
				publishFor, (seq) -> publisher.publish(shared, "bench", Payloads.stamped(100, seq)).doOnNext((ok) -> {
					if (ok) {
						sharedOk.increment();
					}
				})), drivers);
		CompletableFuture<Map<String, Object>> ownRun = CompletableFuture
			.supplyAsync(() -> drive(channelRate, publishFor, (seq) -> {
				int i = (int) (seq % clients);
				return publisher.publish("workspace:" + prefix + i, "bench", Payloads.stamped(100, seq))
					.doOnNext((ok) -> {
						if (ok) {
							okPerClient.incrementAndGet(i);
						}
					});
			}), drivers);
		Sessions.pause(steady);

		// 3. kill -9 gateway A; every client reconnects to B with its resume point
		Histogram resumeMicros = new Histogram(120_000_000L, 3);
		Histogram rawMicros = new Histogram(120_000_000L, 3);
		Histogram sioMicros = new Histogram(120_000_000L, 3);
		// when each resuming client's open (upgrade or handshake, auth) completed
		Histogram openedMicros = new Histogram(120_000_000L, 3);
		LongAdder sioNotRecovered = new LongAdder();
		LongAdder recovered = new LongAdder();
		LongAdder notRecovered = new LongAdder();
		LongAdder sioByPid = new LongAdder();
		LongAdder reconnectFailed = new LongAdder();
		// when each client saw its socket to A end (a resume starts only then)
		Histogram closeSeenMicros = new Histogram(120_000_000L, 3);
		LongAdder closesSeenIn30s = new LongAdder();
		java.util.Set<StormClient> failedClients = java.util.concurrent.ConcurrentHashMap.newKeySet();
		AtomicLong lastResume = new AtomicLong();
		// where the clients not resumed 30 s after the kill are, by stage
		java.util.Set<StormClient> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
		Map<String, Long> stagesAt30s = new java.util.TreeMap<>();
		Thread stages = new Thread(() -> {
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				return;
			}
			synchronized (stagesAt30s) {
				for (StormClient c : open) {
					if (!done.contains(c)) {
						stagesAt30s.merge(
								c.stage().replaceAll("bench-storm-[0-9-]+", "…").replaceAll(" since \\S+", " since …"),
								1L, Long::sum);
					}
				}
			}
		}, "storm-stages");
		stages.setDaemon(true);
		// CPU of gateway B, the hub and the generator, sampled through the storm
		CpuSamples cpu = new CpuSamples(
				List.of(HubProcess.find(Long.parseLong(o.string("gateway-b-pid", "0")), URI.create(gatewayB).getPort()),
						aux, new HubProcess(ProcessHandle.current().pid())));
		long kill = System.nanoTime();
		cpu.start();
		stages.start();
		ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly);
		// when each client saw its socket end, taken as it happens (the reconnects below
		// are paced, so a client may start its resume later than that)
		for (StormClient c : open) {
			c.closed().whenComplete((code, ex) -> {
				long seen = (System.nanoTime() - kill) / 1000;
				synchronized (closeSeenMicros) {
					closeSeenMicros.recordValue(Math.min(seen, 120_000_000L));
				}
				if (seen <= 30_000_000L) {
					closesSeenIn30s.increment();
				}
			});
		}
		Flux.fromIterable(open)
			// a close not seen in 30 s: resume anyway
			.flatMap((c) -> Mono.fromFuture(c.closed())
				.timeout(Duration.ofSeconds(30))
				.onErrorReturn(-3)
				.then(Mono.fromFuture(() -> c.resume(gatewayB, "127.0.0." + (60 + Math.abs(c.hashCode()) % sources))))
				.timeout(resumeTimeout)
				.doOnNext((ok) -> {
					done.add(c);
					long at = System.nanoTime() - kill;
					synchronized (resumeMicros) {
						resumeMicros.recordValue(Math.min(at / 1000, 120_000_000L));
						openedMicros
							.recordValue(Math.max(0, Math.min((c.openedAtNanos() - kill) / 1000, 120_000_000L)));
						(c.socketIo() ? sioMicros : rawMicros).recordValue(Math.min(at / 1000, 120_000_000L));
					}
					if (!ok && c.socketIo()) {
						sioNotRecovered.increment();
					}
					lastResume.accumulateAndGet(at, Math::max);
					(ok ? recovered : notRecovered).increment();
					if (c.recoveredByPid()) {
						sioByPid.increment();
					}
				})
				.onErrorResume((e) -> {
					done.add(c);
					reconnectFailed.increment();
					failedClients.add(c);
					if (reconnectFailed.sum() <= 10) {
						System.err.println("storm: reconnect failed (" + c.stage() + "): " + e);
					}
					return Mono.empty();
				}), concurrency)
			.blockLast(Duration.ofMinutes(5));
		cpu.stop();
		System.err.printf(
				"storm: %d resumed (%d not recovered, %d failed), last at %.2f s after the kill; %d subscribes retried"
						+ " after unavailable, %d opens after a refusal (both phases)%n",
				recovered.sum() + notRecovered.sum(), notRecovered.sum(), reconnectFailed.sum(), lastResume.get() / 1e9,
				StormClient.retried(), StormClient.opensRetried());
		Map<String, Object> sharedPub = sharedRun.get();
		Map<String, Object> ownPub = ownRun.get();
		drivers.shutdown();
		Sessions.pause(Duration.ofSeconds(5));

		// 4. what arrived, against what was published
		Map<StormClient, Integer> index = new java.util.IdentityHashMap<>();
		for (int i = 0; i < clients; i++) {
			index.put(all.get(i), i);
		}
		StormTally tally = StormTally.of(open, (c) -> ownStart[index.get(c)] + okPerClient.get(index.get(c)),
				sharedStart + sharedOk.sum(), failedClients);
		open.forEach(StormClient::close);
		// what the gateways log while the clients leave counts too
		Sessions.pause(Duration.ofSeconds(5));
		Map<String, Long> logProblems = new LinkedHashMap<>();
		for (Path l : logs) {
			logProblems.put(l.toString(), LogLines.countMatching(l, logStart.get(l), LOG_PROBLEM));
		}
		Outcome out = new Outcome();
		Map<String, Object> m = out.metrics();
		m.put("clients", clients);
		m.put("onGatewayA", open.size());
		m.put("connectFailures", failures.get());
		m.put("connectSeconds", Math.round(connectSeconds * 10) / 10.0);
		m.put("cpuSecondsOpeningOnA", Map.of("gatewayA", openUsed[0], auxName, openUsed[1], "generator", openUsed[2]));
		m.put("gatewayACpuMsPerOpen", msPer(openUsed[0], open.size()));
		m.put("socketIoClients", open.stream().filter(StormClient::socketIo).count());
		m.put("killedPid", victim.pid());
		m.put("resumed", recovered.sum() + notRecovered.sum());
		m.put("recovered", recovered.sum());
		m.put("notRecovered", notRecovered.sum());
		m.put("socketIoRecoveredByPid", sioByPid.sum());
		m.put("reconnectFailed", reconnectFailed.sum());
		m.put("closeSeenP50Ms", closeSeenMicros.getValueAtPercentile(50) / 1000.0);
		m.put("closeSeenP99Ms", closeSeenMicros.getValueAtPercentile(99) / 1000.0);
		m.put("closeSeenMaxMs", closeSeenMicros.getMaxValue() / 1000.0);
		m.put("closesNotSeenIn30s", open.size() - closesSeenIn30s.sum());
		// resumes and their opens per 5 s after the kill: where the tail is
		m.put("resumesPer5sAfterKill", per5s(resumeMicros));
		m.put("resumeOpensPer5sAfterKill", per5s(openedMicros));
		synchronized (stagesAt30s) {
			m.put("notResumedAt30sByStage", new LinkedHashMap<>(stagesAt30s));
		}
		m.put("resumeP90Ms", resumeMicros.getValueAtPercentile(90) / 1000.0);
		m.put("resumeP95Ms", resumeMicros.getValueAtPercentile(95) / 1000.0);
		m.put("secondsToLastResume", Math.round(lastResume.get() / 1e7) / 100.0);
		// CPU seconds from the kill to the last resume: where the storm's time goes
		double[] used = cpu.secondsUntil(kill + lastResume.get());
		m.put("cpuSecondsKillToLastResume", Map.of("gatewayB", used[0], auxName, used[1], "generator", used[2]));
		m.put("gatewayBCpuMsPerResume", msPer(used[0], recovered.sum() + notRecovered.sum()));
		m.put("resumeP50Ms", resumeMicros.getValueAtPercentile(50) / 1000.0);
		m.put("resumeP99Ms", resumeMicros.getValueAtPercentile(99) / 1000.0);
		m.put("rawResumeP99Ms", rawMicros.getValueAtPercentile(99) / 1000.0);
		m.put("socketIoResumeP99Ms", sioMicros.getValueAtPercentile(99) / 1000.0);
		m.put("socketIoNotRecovered", sioNotRecovered.sum());
		tally.putInto(m);
		m.put("sharedPublishes", sharedPub);
		m.put("subscribesRetriedAfterUnavailable", StormClient.retried());
		m.put("opensRetriedAfterRefusal", StormClient.opensRetried());
		m.put("ownChannelPublishes", ownPub);
		m.put("logProblems", logProblems);
		out.key("clients on A", open.size());
		out.key("seconds from kill to last resume", (Number) m.get("secondsToLastResume"));
		out.key("resume p50 ms", (Number) m.get("resumeP50Ms"));
		out.key("resume p99 ms", (Number) m.get("resumeP99Ms"));
		out.key("not recovered", notRecovered.sum());
		out.key("reconnect failed", reconnectFailed.sum());
		out.key("gaps", tally.gaps);
		out.key("events skipped in gaps", tally.skipped);
		out.key("duplicates", tally.duplicates);
		out.key("events missing at end", tally.missing);
		out.key("log lines: Redis timeouts / unhandled",
				logProblems.values().stream().mapToLong(Long::longValue).sum());
		out.row("clients on gateway A (Socket.IO)", open.size() + " (" + m.get("socketIoClients") + ")", "10,000");
		out.row("opened on A, s; CPU s meanwhile (gateway A, " + auxName + ", generator); A ms per open",
				m.get("connectSeconds") + "; " + m.get("cpuSecondsOpeningOnA") + "; " + m.get("gatewayACpuMsPerOpen"),
				"");
		out.row("kill → last resume, s", m.get("secondsToLastResume"), "≤ 10");
		out.row("CPU s kill → last resume (gateway B, " + auxName + ", generator); B ms per resume",
				m.get("cpuSecondsKillToLastResume") + "; " + m.get("gatewayBCpuMsPerResume"), "");
		out.row("resume p50 / p99 ms", m.get("resumeP50Ms") + " / " + m.get("resumeP99Ms"), "");
		out.row("resume p99 ms: raw / Socket.IO", m.get("rawResumeP99Ms") + " / " + m.get("socketIoResumeP99Ms"), "");
		out.row("resume p90 / p95 ms", m.get("resumeP90Ms") + " / " + m.get("resumeP95Ms"), "");
		out.row("close of A seen p50 / p99 / max ms; not seen in 30 s", m.get("closeSeenP50Ms") + " / "
				+ m.get("closeSeenP99Ms") + " / " + m.get("closeSeenMaxMs") + "; " + m.get("closesNotSeenIn30s"), "");
		out.row("recovered / not recovered (of them Socket.IO) / failed", recovered.sum() + " / " + notRecovered.sum()
				+ " (" + sioNotRecovered.sum() + ") / " + reconnectFailed.sum(), "all recovered");
		out.row("gaps (events they skipped) / duplicates / missing at end",
				tally.gaps + " (" + tally.skipped + ") / " + tally.duplicates + " / " + tally.missing, "0 / 0 / 0");
		out.row("log lines with Redis timeouts or unhandled errors", logProblems, "0");
		return out;
	}

	/**
	 * Opens {@code count} clients of their own on gateway B, closes them and resumes them
	 * there with their positions, then closes them: B has run the connect and resume
	 * paths before the storm, as a gateway of a running fleet has.
	 */
	private static void warm(int count, String gatewayB, Tokens tokens, String prefix, String shared, double sioShare,
			int sources) {
		long t0 = System.nanoTime();
		List<StormClient> warm = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			boolean sio = Math.floor((i + 1) * sioShare) > Math.floor(i * sioShare);
			warm.add(new StormClient(
					tokens.user(prefix + i, List.of(prefix + i, shared.substring("workspace:".length()))), sio,
					"workspace:" + prefix + i, shared));
		}
		AtomicLong failures = new AtomicLong();
		List<StormClient> open = Sessions.open(count, 200, Duration.ofSeconds(120),
				(i) -> warm.get(i).start(gatewayB, "127.0.0." + (70 + i % sources)), failures);
		open.forEach(StormClient::close);
		List<Boolean> resumed = Sessions.open(open.size(), 200, Duration.ofSeconds(120),
				(i) -> open.get(i).resume(gatewayB, "127.0.0." + (70 + i % sources)), failures);
		open.forEach(StormClient::close);
		System.err.printf("storm: gateway B warmed with %d clients (%d resumed, %d failures) in %.1f s%n", count,
				resumed.size(), failures.get(), (System.nanoTime() - t0) / 1e9);
	}

	/** CPU seconds as milliseconds per operation, two decimals. */
	private static double msPer(double cpuSeconds, long operations) {
		return Math.round(cpuSeconds * 1e5 / Math.max(1, operations)) / 100.0;
	}

	/** A histogram of microseconds as counts per 5 s, from 0. */
	private static List<Long> per5s(Histogram micros) {
		List<Long> counts = new ArrayList<>();
		micros.linearBucketValues(5_000_000L)
			.forEach((bucket) -> counts.add(bucket.getCountAddedInThisIterationStep()));
		return counts;
	}

	private static Map<String, Object> drive(int rate, Duration duration,
			java.util.function.LongFunction<Mono<Boolean>> op) {
		try {
			return RateDriver.run(rate, duration, 64, op);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Map.of();
		}
	}

}
