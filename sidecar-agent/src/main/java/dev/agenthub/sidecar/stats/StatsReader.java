package dev.agenthub.sidecar.stats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;

/**
 * Reads system statistics. CPU usage is the busy share of all CPU time between two
 * {@link #sample()} calls (the first call measures since boot). Values that cannot be
 * read (no {@code /proc}, e.g. not on Linux) are left out rather than invented.
 * <p>
 * The {@code stats} event data: {@code {"cpu": 12.5, "memory": {"usedBytes",
 * "totalBytes", "percent"}, "disk": {"usedBytes", "totalBytes", "percent", "path"}}} with
 * {@code cpu} and {@code percent} in 0-100 (one decimal).
 */
public final class StatsReader {

	private final Path procRoot;

	private final Path diskPath;

	private long[] previousCpu;

	public StatsReader(Path procRoot, Path diskPath) {
		this.procRoot = procRoot;
		this.diskPath = diskPath;
	}

	/**
	 * Takes a sample.
	 * @return the {@code stats} event data
	 */
	public synchronized Map<String, Object> sample() {
		Map<String, Object> data = new LinkedHashMap<>();
		Double cpu = cpuPercent();
		data.put("cpu", (cpu != null) ? cpu : jvmCpuPercent());
		Map<String, Object> memory = memory();
		data.put("memory", (memory != null) ? memory : jvmMemory());
		Map<String, Object> disk = disk();
		if (disk != null) {
			data.put("disk", disk);
		}
		return data;
	}

	// cpu user nice system idle iowait irq softirq steal guest guest_nice
	Double cpuPercent() {
		long[] current = readCpuTimes();
		if (current == null) {
			return null;
		}
		long[] previous = (this.previousCpu != null) ? this.previousCpu : new long[] { 0, 0 };
		this.previousCpu = current;
		long total = current[0] - previous[0];
		long idle = current[1] - previous[1];
		if (total <= 0) {
			return 0.0;
		}
		return round(100.0 * (total - idle) / total);
	}

	private long[] readCpuTimes() {
		List<String> lines = readLines(this.procRoot.resolve("stat"));
		if (lines == null || lines.isEmpty() || !lines.get(0).startsWith("cpu ")) {
			return null;
		}
		String[] fields = lines.get(0).trim().split("\\s+");
		long total = 0;
		// guest and guest_nice are already counted in user and nice
		for (int i = 1; i < Math.min(fields.length, 9); i++) {
			total += Long.parseLong(fields[i]);
		}
		long idle = Long.parseLong(fields[4]) + ((fields.length > 5) ? Long.parseLong(fields[5]) : 0);
		return new long[] { total, idle };
	}

	Map<String, Object> memory() {
		List<String> lines = readLines(this.procRoot.resolve("meminfo"));
		if (lines == null) {
			return null;
		}
		Map<String, Long> kib = new LinkedHashMap<>();
		for (String line : lines) {
			String[] parts = line.split(":\\s*", 2);
			if (parts.length == 2) {
				String[] value = parts[1].trim().split("\\s+");
				try {
					kib.put(parts[0], Long.parseLong(value[0]));
				}
				catch (NumberFormatException ex) {
					// a line without a number is of no use here
				}
			}
		}
		Long total = kib.get("MemTotal");
		if (total == null || total == 0) {
			return null;
		}
		long available = kib.containsKey("MemAvailable") ? kib.get("MemAvailable")
				: kib.getOrDefault("MemFree", 0L) + kib.getOrDefault("Buffers", 0L) + kib.getOrDefault("Cached", 0L);
		return usage((total - available) * 1024, total * 1024);
	}

	private static double jvmCpuPercent() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
			double load = os.getCpuLoad();
			return (load >= 0) ? round(load * 100) : 0.0;
		}
		return 0.0;
	}

	private static Map<String, Object> jvmMemory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
				&& os.getTotalMemorySize() > 0) {
			return usage(os.getTotalMemorySize() - os.getFreeMemorySize(), os.getTotalMemorySize());
		}
		Runtime runtime = Runtime.getRuntime();
		return usage(runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
	}

	Map<String, Object> disk() {
		long total = this.diskPath.toFile().getTotalSpace();
		if (total <= 0) {
			return null;
		}
		long usable = this.diskPath.toFile().getUsableSpace();
		Map<String, Object> disk = usage(total - usable, total);
		disk.put("path", this.diskPath.toString());
		return disk;
	}

	private static Map<String, Object> usage(long used, long total) {
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("usedBytes", used);
		usage.put("totalBytes", total);
		usage.put("percent", round(100.0 * used / total));
		return usage;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
