package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.Target;
import dev.agenthub.bench.metrics.HubProcess;

/**
 * Idle connections: worker processes open N authenticated, subscribed connections (each
 * on its own workspace channel, app-level ping every 25 s so the idle timeout does not
 * close them); the hub's RSS and heap (after a full GC) before and after give the memory
 * per connection.
 */
public final class IdleScenario implements Scenario {

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		int connections = o.integer("connections", 19_000);
		int workers = o.integer("workers", 4);
		Duration settle = o.duration("settle", "15s");
		Duration rampTimeout = o.duration("ramp-timeout", "10m");
		Target target = Target.from(o);
		HubProcess hub = target.process(o);
		int milestone = o.integer("milestone", 10_000);
		String prefix = "bench-idle-" + System.currentTimeMillis() + "-";

		long heapBefore = hub.heapUsedAfterGc();
		Sessions.pause(Duration.ofSeconds(2));
		long rssBefore = hub.rssBytes();
		int fdsBefore = hub.openFiles();
		List<Fork> forks = new ArrayList<>();
		int per = (connections + workers - 1) / workers;
		for (int w = 0; w < workers; w++) {
			int count = Math.min(per, connections - w * per);
			if (count <= 0) {
				break;
			}
			forks.add(Fork.start(
					List.of("worker-idle", "--count=" + count, "--base=" + (w * per), "--source=127.0.0." + (10 + w),
							"--prefix=" + prefix, "--target=" + target.name(), "--gateway=" + o.gatewayUrl(),
							"--incumbent=" + o.string("incumbent", "http://127.0.0.1:13000"), "--secret=" + o.secret(),
							"--period=25s", "--concurrency=" + o.integer("concurrency", 50), "--barrier=true"),
					o.string("worker-heap", "384m")));
		}
		for (Fork fork : forks) {
			fork.awaitStarted(Duration.ofSeconds(120));
		}
		long t0 = System.nanoTime();
		for (Fork fork : forks) {
			fork.go();
		}
		// time until the workers together report `milestone` connections open
		double[] milestoneSeconds = { -1 };
		Thread watch = new Thread(() -> {
			while (milestoneSeconds[0] < 0 && !Thread.currentThread().isInterrupted()) {
				int sum = forks.stream().mapToInt(Fork::progress).sum();
				if (sum >= milestone) {
					milestoneSeconds[0] = (System.nanoTime() - t0) / 1e9;
					return;
				}
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "idle-milestone");
		watch.setDaemon(true);
		watch.start();
		Map<String, Object> m = new LinkedHashMap<>();
		try {
			int[] opened = Fork.awaitAll(forks, rampTimeout);
			double rampSeconds = (System.nanoTime() - t0) / 1e9;
			System.err.printf("idle: %d open, %d failed in %.1f s; settling %s%n", opened[0], opened[1], rampSeconds,
					settle);
			Sessions.pause(settle);
			long rssLoaded = hub.rssBytes();
			long heapAfter = hub.heapUsedAfterGc();
			Sessions.pause(Duration.ofSeconds(2));
			long rssAfter = hub.rssBytes();
			int fdsAfter = hub.openFiles();
			if (Boolean.parseBoolean(o.string("histogram", "true"))) {
				// where the per-connection memory goes
				m.put("hubHeapHistogramTop", hub.classHistogram(o.integer("histogram-top", 25)));
			}
			m.put("requested", connections);
			m.put("opened", opened[0]);
			m.put("failed", opened[1]);
			m.put("workers", forks.size());
			m.put("rampSeconds", Math.round(rampSeconds * 10) / 10.0);
			watch.interrupt();
			m.put("target", target.name());
			m.put("milestone", milestone);
			m.put("secondsToMilestone",
					(milestoneSeconds[0] < 0) ? null : Math.round(milestoneSeconds[0] * 100) / 100.0);
			m.put("hubOpenFilesBefore", fdsBefore);
			m.put("hubOpenFilesAfter", fdsAfter);
			m.put("rssBeforeBytes", rssBefore);
			m.put("rssLoadedBeforeGcBytes", rssLoaded);
			m.put("rssAfterBytes", rssAfter);
			m.put("heapUsedAfterGcBeforeBytes", heapBefore);
			m.put("heapUsedAfterGcAfterBytes", heapAfter);
			int n = Math.max(1, opened[0]);
			m.put("rssPerConnectionBytes", (rssAfter - rssBefore) / n);
			m.put("heapPerConnectionBytes", (heapBefore >= 0 && heapAfter >= 0) ? (heapAfter - heapBefore) / n : null);
		}
		finally {
			for (Fork fork : forks) {
				fork.stop();
			}
		}
		Outcome out = new Outcome();
		out.metrics().putAll(m);
		out.key("connections opened", (Number) m.get("opened"));
		out.key("failed", (Number) m.get("failed"));
		out.key("seconds to open " + milestone, (Number) m.get("secondsToMilestone"));
		out.key("seconds to open all", (Number) m.get("rampSeconds"));
		out.key("RSS per connection, bytes", (Number) m.get("rssPerConnectionBytes"));
		out.key("live heap per connection, bytes", (Number) m.get("heapPerConnectionBytes"));
		out.row("seconds to open " + milestone, m.get("secondsToMilestone"), "≤ 3");
		out.row("idle authenticated, subscribed connections", m.get("opened") + " (failed " + m.get("failed") + ")",
				"≥ 19,000");
		out.row("hub RSS before → after, MiB",
				mib((long) m.get("rssBeforeBytes")) + " → " + mib((long) m.get("rssAfterBytes")), "");
		out.row("RSS per connection, bytes", m.get("rssPerConnectionBytes"), "≤ 8,192");
		out.row("heap (live, after GC) per connection, bytes", m.get("heapPerConnectionBytes"), "");
		return out;
	}

	private static String mib(long bytes) {
		return String.format("%.1f", bytes / 1048576.0);
	}

}
