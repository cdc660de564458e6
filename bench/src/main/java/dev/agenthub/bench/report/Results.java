package dev.agenthub.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one run: {@code
 *
<dir>
 * /<scenario>-<timestamp>.json} with everything measured and the context (machine, load,
 * hub engine and JVM flags, options), and a section with the headline figures appended to
 * {@code
 *
<dir>
 * /RESULTS.md}.
 */
public final class Results {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private Results() {
	}

	/**
	 * @return nproc, memory, load average and the generator's JVM
	 */
	public static Map<String, Object> machine() {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("nproc", Runtime.getRuntime().availableProcessors());
		out.put("memTotal", firstLine("/proc/meminfo", "MemTotal:"));
		out.put("memAvailable", firstLine("/proc/meminfo", "MemAvailable:"));
		out.put("loadAverage", read("/proc/loadavg").trim());
		out.put("kernel", read("/proc/sys/kernel/osrelease").trim());
		out.put("generatorJava", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		out.put("generatorJvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
		return out;
	}

	/**
	 * Writes the run.
	 * @param dir results directory
	 * @param scenario scenario name
	 * @param run everything to record
	 * @param note free text (e.g. "reduced scale, machine loaded by other builds")
	 * @param headline rows for the markdown table: measure, value, target
	 * @return the JSON file
	 */
	public static Path write(Path dir, String scenario, Map<String, Object> run, String note,
			List<List<String>> headline) {
		Instant now = Instant.now();
		Path json = dir.resolve(scenario + "-" + STAMP.format(now) + ".json");
		try {
			Files.writeString(json, JSON.writeValueAsString(run) + "\n", StandardCharsets.UTF_8);
			StringBuilder md = new StringBuilder();
			Path results = dir.resolve("RESULTS.md");
			if (!Files.exists(results)) {
				md.append("# Benchmark results\n\nAppended by `bench/run.sh`; each section links its JSON file. ")
					.append("Targets: `docs/benchmarks.md` and ARCHITECTURE.md section 8.\n");
			}
			md.append("\n## ").append(scenario).append(" — ").append(now.toString(), 0, 19).append("Z\n\n");
			if (note != null && !note.isBlank()) {
				md.append("_").append(note).append("_\n\n");
			}
			md.append("File: `")
				.append(json.getFileName())
				.append("`; load average at start: ")
				.append(((Map<?, ?>) run.getOrDefault("machine", Map.of())).get("loadAverage"))
				.append("\n\n");
			List<List<String>> rows = headline;
			List<String> head = List.of("measure", "value", "target");
			if (!rows.isEmpty() && "measure".equals(rows.get(0).get(0))) {
				head = rows.get(0);
				rows = rows.subList(1, rows.size());
			}
			md.append("| ").append(String.join(" | ", head)).append(" |\n|");
			md.append("---|".repeat(head.size())).append("\n");
			for (List<String> row : rows) {
				md.append("| ").append(String.join(" | ", row)).append(" |\n");
			}
			Files.writeString(results, md, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return json;
	}

	private static String firstLine(String file, String prefix) {
		for (String line : read(file).split("\n")) {
			if (line.startsWith(prefix)) {
				return line.substring(prefix.length()).trim();
			}
		}
		return "?";
	}

	private static String read(String file) {
		try {
			return Files.readString(Path.of(file));
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
