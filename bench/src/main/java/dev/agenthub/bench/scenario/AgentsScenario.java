package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.AgentSession;
import dev.agenthub.bench.client.BrowserSession;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.Frames;
import dev.agenthub.bench.metrics.HubProcess;
import dev.agenthub.bench.metrics.Latency;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Agents: (A) N registered agents (each its own workspace) heartbeating every 10 s from
 * worker processes: the hub process's CPU over a window and its RSS; (B) meanwhile S
 * streaming agents write stamped tab output that browsers subscribed to their workspaces
 * receive: chunks/s, events/s (the agent service coalesces per tab), MB/s, latency.
 */
public final class AgentsScenario implements Scenario {

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		int agents = o.integer("agents", 10_000);
		int workers = o.integer("workers", 2);
		Duration heartbeat = o.duration("heartbeat", "10s");
		Duration window = o.duration("window", "60s");
		int streamers = o.integer("streamers", 100);
		int chunkRate = o.integer("chunk-rate", 100);
		int chunkBytes = o.integer("chunk-bytes", 200);
		Duration streamFor = o.duration("stream-duration", "20s");
		HubProcess hub = HubProcess.find(Long.parseLong(o.string("hub-pid", "0")),
				java.net.URI.create(o.gatewayUrl()).getPort());
		String prefix = "bench-ag-" + System.currentTimeMillis() + "-";
		Tokens tokens = new Tokens(o.secret());
		Map<String, Object> m = new LinkedHashMap<>();
		long rssBefore = hub.rssBytes();
		m.put("rssBeforeBytes", rssBefore);
		List<Fork> forks = new ArrayList<>();
		try {
			if (agents > 0) {
				long t0 = System.nanoTime();
				int per = (agents + workers - 1) / workers;
				for (int w = 0; w < workers && w * per < agents; w++) {
					forks.add(Fork.start(List.of("worker-agents", "--count=" + Math.min(per, agents - w * per),
							"--base=" + (w * per), "--source=127.0.0." + (30 + w), "--prefix=" + prefix,
							"--agent-url=" + o.agentUrl(), "--secret=" + o.secret(),
							"--period=" + heartbeat.toMillis() + "ms"), o.string("worker-heap", "384m")));
				}
				int[] opened = Fork.awaitAll(forks, o.duration("ramp-timeout", "10m"));
				m.put("agentsRegistered", opened[0]);
				m.put("agentsFailed", opened[1]);
				m.put("rampSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
				System.err.printf("agents: %d registered, %d failed; settling, then a %s CPU window%n", opened[0],
						opened[1], window);
				Sessions.pause(Duration.ofSeconds(10));
				long ticks0 = hub.cpuTicks();
				long w0 = System.nanoTime();
				Sessions.pause(window);
				double cpuSeconds = (hub.cpuTicks() - ticks0) / 100.0;
				double wall = (System.nanoTime() - w0) / 1e9;
				m.put("idleCpuWindowSeconds", Math.round(wall * 10) / 10.0);
				m.put("hubCpuPercentOfOneCore", Math.round(cpuSeconds / wall * 1000) / 10.0);
				m.put("rssWithAgentsBytes", hub.rssBytes());
				m.put("rssPerAgentBytes", (hub.rssBytes() - rssBefore) / Math.max(1, opened[0]));
			}
			if (streamers > 0) {
				m.put("stream", stream(o, tokens, prefix, streamers, chunkRate, chunkBytes, streamFor));
			}
		}
		finally {
			for (Fork fork : forks) {
				fork.stop();
			}
		}
		Outcome out = new Outcome();
		out.metrics().putAll(m);
		if (agents > 0) {
			out.row("agents registered (heartbeat " + heartbeat.toSeconds() + " s)",
					m.get("agentsRegistered") + " (failed " + m.get("agentsFailed") + ")", "10,000");
			out.row("hub process CPU, % of one core (whole hub: all four services)", m.get("hubCpuPercentOfOneCore"),
					"< 25");
			out.row("hub RSS with agents, MiB / per agent bytes", String.format("%.1f / %s",
					(long) m.get("rssWithAgentsBytes") / 1048576.0, m.get("rssPerAgentBytes")), "");
		}
		if (streamers > 0) {
			Map<?, ?> s = (Map<?, ?>) m.get("stream");
			Map<?, ?> lat = (Map<?, ?>) s.get("latency");
			out.row("tab output chunks/s sent → received (" + streamers + " agents)",
					s.get("chunksSentPerSecond") + " → " + s.get("chunksReceivedPerSecond"), "");
			out.row("browser events/s (after merging) / payload MB/s",
					s.get("eventsPerSecond") + " / " + s.get("payloadMBPerSecond"), "");
			out.row("agent → browser latency p50 / p99 / p999 ms",
					lat.get("p50Ms") + " / " + lat.get("p99Ms") + " / " + lat.get("p999Ms"), "p99 ≤ 10");
		}
		return out;
	}

	private Map<String, Object> stream(BenchOptions o, Tokens tokens, String prefix, int streamers, int chunkRate,
			int chunkBytes, Duration duration) throws Exception {
		List<String> workspaces = new ArrayList<>();
		for (int i = 0; i < streamers; i++) {
			workspaces.add(prefix + "s" + i);
		}
		LongAdder events = new LongAdder();
		LongAdder chunks = new LongAdder();
		LongAdder wireBytes = new LongAdder();
		Latency latency = new Latency();
		BrowserSession.EventListener listener = (session, frame) -> {
			if (!"tab:output".equals(Frames.type(frame))) {
				return;
			}
			long now = Latency.nowMicros();
			events.increment();
			wireBytes.add(frame.readableBytes());
			chunks.add(Frames.markers(frame, (ts) -> latency.record(ts, now)));
		};
		// one browser per 200 workspaces (the gateway allows 256 subscriptions per
		// connection)
		List<BrowserSession> browsers = new ArrayList<>();
		for (int from = 0; from < streamers; from += 200) {
			List<String> slice = workspaces.subList(from, Math.min(streamers, from + 200));
			BrowserSession b = BrowserSession
				.connect(from, o.gatewayUrl(), tokens.user("bench-stream-viewer", slice), null, listener)
				.get(30, java.util.concurrent.TimeUnit.SECONDS);
			for (String w : slice) {
				b.subscribe("workspace:" + w, null, 0).get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
			browsers.add(b);
		}
		AtomicLong failures = new AtomicLong();
		List<AgentSession> sources = Sessions.open(
				streamers, 50, Duration.ofSeconds(60), (i) -> AgentSession.connect(o.agentUrl(),
						tokens.agent("agent-" + workspaces.get(i), workspaces.get(i)), workspaces.get(i), "127.0.0.40"),
				failures);
		Sessions.pause(Duration.ofSeconds(2));
		AtomicLong sent = new AtomicLong();
		AtomicLong notQueued = new AtomicLong();
		int perTick = Math.max(1, chunkRate / 100);
		Runnable tick = () -> {
			for (AgentSession a : sources) {
				for (int k = 0; k < perTick; k++) {
					if (a.tabOutput("t1", Payloads.chunk(chunkBytes))) {
						sent.incrementAndGet();
					}
					else {
						notQueued.incrementAndGet();
					}
				}
			}
		};
		// warm-up, then measure
		Disposable warm = Flux.interval(Duration.ofMillis(10)).subscribe((t) -> tick.run());
		Sessions.pause(Duration.ofSeconds(3));
		warm.dispose();
		Sessions.pause(Duration.ofSeconds(2));
		latency.reset();
		events.reset();
		chunks.reset();
		wireBytes.reset();
		sent.set(0);
		notQueued.set(0);
		long t0 = System.nanoTime();
		Disposable run = Flux.interval(Duration.ofMillis(10)).subscribe((t) -> tick.run());
		Sessions.pause(duration);
		run.dispose();
		double seconds = (System.nanoTime() - t0) / 1e9;
		long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (chunks.sum() < sent.get() && System.nanoTime() < until) {
			Thread.sleep(20);
		}
		sources.forEach(AgentSession::close);
		browsers.forEach(BrowserSession::close);
		Map<String, Object> s = new LinkedHashMap<>();
		s.put("streamingAgents", sources.size());
		s.put("agentConnectFailures", failures.get());
		s.put("seconds", Math.round(seconds * 10) / 10.0);
		s.put("chunkBytes", chunkBytes);
		s.put("chunksSent", sent.get());
		s.put("chunksNotQueued", notQueued.get());
		s.put("chunksReceived", chunks.sum());
		s.put("chunksSentPerSecond", Math.round(sent.get() / seconds));
		s.put("chunksReceivedPerSecond", Math.round(chunks.sum() / seconds));
		s.put("eventsReceived", events.sum());
		s.put("eventsPerSecond", Math.round(events.sum() / seconds));
		s.put("payloadMBPerSecond", Math.round(chunks.sum() * (double) chunkBytes / seconds / 1e4) / 100.0);
		s.put("wireMBPerSecond", Math.round(wireBytes.sum() / seconds / 1e4) / 100.0);
		s.put("latency", latency.summary());
		return s;
	}

}
