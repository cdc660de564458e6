package dev.agenthub.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.agenthub.bench.metrics.HubProcess;
import dev.agenthub.bench.report.Results;
import dev.agenthub.bench.scenario.AgentsScenario;
import dev.agenthub.bench.scenario.ChannelsScenario;
import dev.agenthub.bench.scenario.EngineScenario;
import dev.agenthub.bench.scenario.FanoutScenario;
import dev.agenthub.bench.scenario.IdleScenario;
import dev.agenthub.bench.scenario.Outcome;
import dev.agenthub.bench.scenario.RecoveryScenario;
import dev.agenthub.bench.scenario.Scenario;
import dev.agenthub.bench.scenario.Workers;

/**
 * {@code java -jar bench.jar <scenario> [--name=value]...}: runs one scenario against a
 * running hub and writes the result (see {@code docs/benchmarks.md}).
 */
public final class BenchMain {

	private static final String USAGE = """
			usage: bench/run.sh <fanout|channels|idle|recovery|agents|engine> [--name=value]...
			common: --note=TEXT --secret=S (or HUB_AUTH_JWT_SECRET) --hub-pid=N --results=DIR
			        --gateway=ws://127.0.0.1:8080/ws --publish=http://127.0.0.1:8082/api/publish
			        --agent-url=ws://127.0.0.1:8081/agent/ws
			see docs/benchmarks.md for each scenario's options""";

	private BenchMain() {
	}

	public static void main(String[] args) {
		int status;
		try {
			status = run(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("error: " + ex.getMessage());
			System.err.println(USAGE);
			status = 2;
		}
		catch (Exception ex) {
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

	/** The engine scenario drives Redis directly: there is no hub process to watch. */
	private static int runEngine(BenchOptions options) throws Exception {
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("scenario", options.scenario());
		run.put("startedAt", Instant.now().toString());
		String note = options.string("note", "");
		run.put("note", note);
		run.put("machine", Results.machine());
		long ownCpu0 = ownCpuNanos();
		long t0 = System.nanoTime();
		Outcome outcome = new EngineScenario().run(options);
		run.put("durationSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
		run.put("generatorCpuSecondsDuringRun", Math.round((ownCpuNanos() - ownCpu0) / 1e7) / 100.0);
		run.put("options", options.used());
		run.put("finishedAt", Instant.now().toString());
		run.put("results", outcome.metrics());
		String header = "engine " + outcome.metrics().get("engine") + " (no hub: the engine alone); " + note;
		Path file = Results.write(options.resultsDir(), options.scenario(), run, header, outcome.headline());
		System.out.println("results: " + file);
		for (var row : outcome.headline()) {
			System.out.println("  " + row.get(0) + ": " + row.get(1));
		}
		return 0;
	}

	private static long ownCpuNanos() {
		if (java.lang.management.ManagementFactory
			.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return 0;
	}

	private static int run(String[] args) throws Exception {
		BenchOptions options = BenchOptions.parse(args);
		if (options.scenario().startsWith("worker-")) {
			Workers.run(options);
			return 0;
		}
		if ("engine".equals(options.scenario())) {
			return runEngine(options);
		}
		Scenario scenario = switch (options.scenario()) {
			case "fanout" -> new FanoutScenario();
			case "channels" -> new ChannelsScenario();
			case "idle" -> new IdleScenario();
			case "recovery" -> new RecoveryScenario();
			case "agents" -> new AgentsScenario();
			default -> throw new IllegalArgumentException("unknown scenario '" + options.scenario() + "'");
		};
		String note = options.string("note", "");
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("scenario", options.scenario());
		run.put("startedAt", Instant.now().toString());
		run.put("note", note);
		run.put("machine", Results.machine());
		HubProcess hub = HubProcess.find(Long.parseLong(options.string("hub-pid", "0")),
				java.net.URI.create(options.gatewayUrl()).getPort());
		Map<String, Object> hubInfo = new LinkedHashMap<>();
		hubInfo.put("pid", hub.pid());
		hubInfo.put("environment", hub.hubEnvironment());
		hubInfo.put("commandLine", hub.commandLine());
		hubInfo.put("rssAtStartBytes", hub.rssBytes());
		run.put("hub", hubInfo);
		long cpu0 = hub.cpuTicks();
		long ownCpu0 = ownCpuNanos();
		long t0 = System.nanoTime();
		Outcome outcome = scenario.run(options);
		double seconds = (System.nanoTime() - t0) / 1e9;
		hubInfo.put("rssAtEndBytes", hub.rssBytes());
		hubInfo.put("cpuSecondsDuringRun", (hub.cpuTicks() - cpu0) / 100.0);
		run.put("durationSeconds", Math.round(seconds * 10) / 10.0);
		// the generator competes with the hub for the same cores: say how much it took
		run.put("generatorCpuSecondsDuringRun", Math.round((ownCpuNanos() - ownCpu0) / 1e7) / 100.0);
		run.put("options", options.used());
		run.put("finishedAt", Instant.now().toString());
		run.put("results", outcome.metrics());
		String header = "hub engine " + hub.hubEnvironment().get("HUB_ENGINE") + "; " + note;
		Path file = Results.write(options.resultsDir(), options.scenario(), run, header, outcome.headline());
		System.out.println("results: " + file);
		for (var row : outcome.headline()) {
			System.out.println("  " + row.get(0) + ": " + row.get(1)
					+ (row.get(2).isEmpty() ? "" : "  (target " + row.get(2) + ")"));
		}
		return 0;
	}

}
