package dev.agenthub.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.agenthub.bench.client.Target;
import dev.agenthub.bench.metrics.HubProcess;
import dev.agenthub.bench.report.Results;
import dev.agenthub.bench.scenario.AgentsScenario;
import dev.agenthub.bench.scenario.ChannelsScenario;
import dev.agenthub.bench.scenario.EngineScenario;
import dev.agenthub.bench.scenario.FanoutScenario;
import dev.agenthub.bench.scenario.IdleScenario;
import dev.agenthub.bench.scenario.LatencyScenario;
import dev.agenthub.bench.scenario.Outcome;
import dev.agenthub.bench.scenario.RecoveryScenario;
import dev.agenthub.bench.scenario.Scenario;
import dev.agenthub.bench.scenario.SoakScenario;
import dev.agenthub.bench.scenario.StormScenario;
import dev.agenthub.bench.scenario.Workers;

/**
 * {@code java -jar bench.jar <scenario> [--name=value]...}: runs one scenario against a
 * running hub (or, with {@code --targets=hub-raw,hub-sio,incumbent}, against each target
 * in turn, back to back) and writes the result (see {@code docs/benchmarks.md}).
 */
public final class BenchMain {

	private static final String USAGE = """
			usage: bench/run.sh <latency|fanout|idle|storm|soak|channels|recovery|agents|engine> [--name=value]...
			common: --note=TEXT --secret=S (or HUB_AUTH_JWT_SECRET) --hub-pid=N --results=DIR
			        --gateway=ws://127.0.0.1:8080/ws --publish=http://127.0.0.1:8082/api/publish
			        --agent-url=ws://127.0.0.1:8081/agent/ws
			        --target=hub-raw|hub-sio|incumbent  or  --targets=hub-raw,hub-sio,incumbent
			        --incumbent=http://127.0.0.1:13000 --incumbent-pid=N
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

	private static Scenario scenario(String name) {
		return switch (name) {
			case "latency" -> new LatencyScenario();
			case "fanout" -> new FanoutScenario();
			case "channels" -> new ChannelsScenario();
			case "idle" -> new IdleScenario();
			case "recovery" -> new RecoveryScenario();
			case "agents" -> new AgentsScenario();
			case "storm" -> new StormScenario();
			case "soak" -> new SoakScenario();
			default -> throw new IllegalArgumentException("unknown scenario '" + name + "'");
		};
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
		Scenario scenario = scenario(options.scenario());
		String note = options.string("note", "");
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("scenario", options.scenario());
		run.put("startedAt", Instant.now().toString());
		run.put("note", note);
		run.put("machine", Results.machine());
		String targetList = options.values().get("targets");
		if (targetList == null) {
			Target target = Target.from(options);
			Outcome outcome = runOne(scenario, options, target, run);
			return write(options, run, "target " + target.name() + "; " + engine(run) + note, outcome.headline());
		}
		List<String> names = new ArrayList<>();
		for (String t : targetList.split(",")) {
			if (!t.isBlank()) {
				names.add(t.trim());
			}
		}
		Map<String, Object> perTarget = new LinkedHashMap<>();
		Map<String, Map<String, Number>> keys = new LinkedHashMap<>();
		warmAll(scenario, options, names, run);
		for (String name : names) {
			BenchOptions one = options.with("target", name);
			if (Boolean.parseBoolean(options.string("fresh", "false"))) {
				one = restart(one, name);
			}
			Target target = Target.from(one);
			Map<String, Object> section = new LinkedHashMap<>();
			section.put("loadAverageAtStart", Results.machine().get("loadAverage"));
			System.err.println("=== " + options.scenario() + " against " + name);
			Outcome outcome = runOne(scenario, one, target, section);
			perTarget.put(name, section);
			keys.put(name, outcome.keys());
		}
		run.put("targets", perTarget);
		List<List<String>> table = compare(names, keys);
		run.put("comparison", table);
		return write(options, run,
				"targets " + names + " back to back in one run" + (note.isBlank() ? "" : "; " + note), table);
	}

	/**
	 * Runs the scenario once against every target, results discarded, before measuring
	 * any ({@code --warm=true}, the default for latency and fan-out on servers that are
	 * not restarted per target): a hub measured first after it started was 3–9× slower
	 * than measured second, the JIT still compiling the paths the other target warmed.
	 * {@code --warm-duration} (5s) is each rate's duration in the warm pass.
	 */
	private static void warmAll(Scenario scenario, BenchOptions options, List<String> names, Map<String, Object> run)
			throws Exception {
		boolean fresh = Boolean.parseBoolean(options.string("fresh", "false"));
		boolean byDefault = !fresh && ("latency".equals(options.scenario()) || "fanout".equals(options.scenario()));
		if (!Boolean.parseBoolean(options.string("warm", String.valueOf(byDefault)))) {
			return;
		}
		String duration = options.string("warm-duration", "5s");
		long t0 = System.nanoTime();
		for (String name : names) {
			System.err.println("=== warm pass (discarded): " + options.scenario() + " against " + name);
			scenario.run(options.with("target", name).with("duration", duration));
		}
		run.put("warmPass", Map.of("targets", names, "durationPerStep", duration, "seconds",
				Math.round((System.nanoTime() - t0) / 1e8) / 10.0));
	}

	/**
	 * Restarts the server of one target through {@code bench/run.sh restart-for}, so that
	 * a memory figure is not inherited from the target measured before it in the same
	 * process, and points the options at the new pid.
	 */
	private static BenchOptions restart(BenchOptions options, String target) throws Exception {
		Process p = new ProcessBuilder("sh", "bench/run.sh", "restart-for", target).inheritIO().start();
		if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
			p.destroyForcibly();
			throw new IllegalStateException("bench/run.sh restart-for " + target + " failed");
		}
		String which = "incumbent".equals(target) ? "incumbent" : "hub";
		String pid = java.nio.file.Files.readString(Path.of("bench/results/tmp/" + which + ".pid")).trim();
		return options.with(which + "-pid", pid);
	}

	private static String engine(Map<String, Object> run) {
		Object server = run.get("server");
		if (server instanceof Map<?, ?> m && m.get("environment") instanceof Map<?, ?> env) {
			return "hub engine " + env.get("HUB_ENGINE") + "; ";
		}
		return "";
	}

	private static Outcome runOne(Scenario scenario, BenchOptions options, Target target, Map<String, Object> into)
			throws Exception {
		into.put("target", target.name());
		double load0 = load1();
		HubProcess server = target.process(options);
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("pid", server.pid());
		if (target.hub()) {
			info.put("environment", server.hubEnvironment());
		}
		info.put("commandLine", server.commandLine());
		info.put("rssAtStartBytes", server.rssBytes());
		into.put("server", info);
		long cpu0 = server.cpuTicks();
		long ownCpu0 = ownCpuNanos();
		long t0 = System.nanoTime();
		Outcome outcome = scenario.run(options);
		double seconds = (System.nanoTime() - t0) / 1e9;
		try {
			info.put("rssAtEndBytes", server.rssBytes());
			info.put("cpuSecondsDuringRun", (server.cpuTicks() - cpu0) / 100.0);
		}
		catch (IllegalStateException ex) {
			info.put("goneAtEnd", ex.getMessage());
		}
		into.put("durationSeconds", Math.round(seconds * 10) / 10.0);
		// the generator competes with the server for the same cores: say how much it took
		into.put("generatorCpuSecondsDuringRun", Math.round((ownCpuNanos() - ownCpu0) / 1e7) / 100.0);
		into.put("loadAverageAtEnd", Results.machine().get("loadAverage"));
		into.put("options", new LinkedHashMap<>(options.used()));
		outcome.key("load average 1 min, start", load0);
		outcome.key("load average 1 min, end", load1());
		into.put("results", outcome.metrics());
		for (var row : outcome.headline()) {
			System.err.println("  [" + target.name() + "] " + row.get(0) + ": " + row.get(1));
		}
		return outcome;
	}

	private static double load1() {
		String load = String.valueOf(Results.machine().get("loadAverage"));
		try {
			return Double.parseDouble(load.split(" ")[0]);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * One row per key figure: the value for each target, then each hub target's value
	 * divided by the incumbent's (below 1 is better for times and losses).
	 */
	static List<List<String>> compare(List<String> names, Map<String, Map<String, Number>> keys) {
		Set<String> figures = new LinkedHashSet<>();
		keys.values().forEach((k) -> figures.addAll(k.keySet()));
		List<List<String>> rows = new ArrayList<>();
		List<String> header = new ArrayList<>();
		header.add("measure");
		header.addAll(names);
		boolean ratios = names.contains("incumbent");
		if (ratios) {
			for (String n : names) {
				if (!"incumbent".equals(n)) {
					header.add(n + " ÷ incumbent");
				}
			}
		}
		rows.add(header);
		for (String figure : figures) {
			List<String> row = new ArrayList<>();
			row.add(figure);
			for (String n : names) {
				Number v = keys.get(n).get(figure);
				row.add((v != null) ? v.toString() : "–");
			}
			if (ratios) {
				Number base = keys.get("incumbent").get(figure);
				for (String n : names) {
					if ("incumbent".equals(n)) {
						continue;
					}
					Number v = keys.get(n).get(figure);
					boolean comparable = !figure.startsWith("load average") && !figure.contains("close code");
					row.add((comparable && v != null && base != null && base.doubleValue() != 0)
							? String.format("%.2f", v.doubleValue() / base.doubleValue()) : "–");
				}
			}
			rows.add(row);
		}
		return rows;
	}

	private static int write(BenchOptions options, Map<String, Object> run, String header, List<List<String>> table) {
		run.put("finishedAt", Instant.now().toString());
		Path file = Results.write(options.resultsDir(), options.scenario(), run, header, table);
		System.out.println("results: " + file);
		for (List<String> row : table) {
			System.out.println("  " + String.join("  |  ", row));
		}
		return 0;
	}

}
