package dev.agenthub.bench.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's process as Linux shows it: RSS from {@code /proc/<pid>/status}, CPU time from
 * {@code /proc/<pid>/stat}, heap from {@code jcmd}, the JVM flags from its command line
 * and the engine from its environment.
 *
 * @param pid the process id
 */
public record HubProcess(long pid) {

	private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

	/**
	 * Finds the hub: {@code --hub-pid}, else the one process running
	 * {@code hub-launcher.jar} whose gateway port ({@code HUB_GATEWAY_PORT}, default
	 * 8080) is the one benchmarked.
	 * @param explicit pid given, or 0
	 * @param gatewayPort the gateway port the harness talks to
	 * @return the process
	 */
	public static HubProcess find(long explicit, int gatewayPort) {
		if (explicit > 0) {
			return new HubProcess(explicit);
		}
		List<Long> found = new ArrayList<>();
		ProcessHandle.allProcesses().forEach((p) -> {
			String cmd = p.info().commandLine().orElse("");
			if (cmd.contains("hub-launcher") && cmd.contains(".jar") && p.pid() != ProcessHandle.current().pid()
					&& gatewayPort == gatewayPort(p.pid())) {
				found.add(p.pid());
			}
		});
		if (found.size() != 1) {
			throw new IllegalStateException("expected one hub-launcher process, found " + found
					+ "; start the hub (./hub run) or pass --hub-pid=<pid>");
		}
		return new HubProcess(found.get(0));
	}

	/**
	 * Finds the incumbent: {@code --incumbent-pid}, else the one {@code node} process
	 * running {@code incumbent/server.js --port=<port>}.
	 * @param explicit pid given, or 0
	 * @param port its port
	 * @return the process
	 */
	public static HubProcess findIncumbent(long explicit, int port) {
		if (explicit > 0) {
			return new HubProcess(explicit);
		}
		List<Long> found = new ArrayList<>();
		ProcessHandle.allProcesses().forEach((p) -> {
			String cmd = p.info().commandLine().orElse("");
			if (cmd.contains("server.js") && cmd.contains("--port=" + port)) {
				found.add(p.pid());
			}
		});
		if (found.size() != 1) {
			throw new IllegalStateException("expected one incumbent process on port " + port + ", found " + found
					+ "; start it (bench/run.sh starts it) or pass --incumbent-pid=<pid>");
		}
		return new HubProcess(found.get(0));
	}

	private static int gatewayPort(long pid) {
		try {
			for (String entry : Files
				.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1)
				.split("\0")) {
				if (entry.startsWith("HUB_GATEWAY_PORT=")) {
					return Integer.parseInt(entry.substring("HUB_GATEWAY_PORT=".length()).trim());
				}
			}
			return 8080;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * @return resident set size in bytes
	 */
	public long rssBytes() {
		for (String line : read("status").split("\n")) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		throw new IllegalStateException("no VmRSS for " + this.pid);
	}

	/**
	 * @return user + system CPU time in clock ticks (100 per second on Linux)
	 */
	public long cpuTicks() {
		String stat = read("stat");
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// fields[0] is field 3 (state); utime and stime are fields 14 and 15
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * @return open file descriptors of the process
	 */
	public int openFiles() {
		String[] fds = Path.of("/proc", Long.toString(this.pid), "fd").toFile().list();
		return (fds != null) ? fds.length : -1;
	}

	/**
	 * Heap in use, measured after a full GC so that garbage does not count.
	 * @return bytes, or -1 when jcmd is not available
	 */
	public long heapUsedAfterGc() {
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		Matcher m = HEAP_USED.matcher(info);
		return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
	}

	/**
	 * Heap in use now, garbage included ({@code jcmd GC.heap_info}, no collection).
	 * @return bytes, or -1 when not a JVM
	 */
	public long heapUsed() {
		Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
		return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
	}

	/**
	 * @return the process's threads ({@code Threads:} of {@code /proc/<pid>/status})
	 */
	public int threads() {
		for (String line : read("status").split("\n")) {
			if (line.startsWith("Threads:")) {
				return Integer.parseInt(line.replaceAll("[^0-9]", ""));
			}
		}
		return -1;
	}

	/**
	 * @return the JVM command line (flags)
	 */
	public String commandLine() {
		return read("cmdline").replace('\0', ' ').trim();
	}

	/**
	 * @return HUB_* settings of the hub's environment (no secrets, tokens or passwords)
	 */
	public Map<String, String> hubEnvironment() {
		Map<String, String> out = new LinkedHashMap<>();
		for (String entry : read("environ").split("\0")) {
			String name = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
			if (name.startsWith("HUB_") && !name.contains("SECRET") && !name.contains("TOKEN")
					&& !name.contains("PASSWORD")) {
				int eq = entry.indexOf('=');
				out.put(entry.substring(0, eq), entry.substring(eq + 1));
			}
		}
		out.putIfAbsent("HUB_ENGINE", "memory (default)");
		return out;
	}

	/**
	 * The largest classes on the heap ({@code jcmd GC.class_histogram}, live objects).
	 * @param top how many rows
	 * @return rows "instances bytes class"
	 */
	public List<String> classHistogram(int top) {
		List<String> rows = new ArrayList<>();
		for (String line : jcmd("GC.class_histogram").split("\n")) {
			String trimmed = line.trim();
			if (!trimmed.isEmpty() && Character.isDigit(trimmed.charAt(0)) && trimmed.contains(":")) {
				rows.add(trimmed.substring(trimmed.indexOf(':') + 1).trim().replaceAll("\\s+", " "));
				if (rows.size() >= top) {
					break;
				}
			}
		}
		return rows;
	}

	/**
	 * @return whether the process is a JVM (jcmd would send a non-JVM a SIGQUIT)
	 */
	public boolean jvm() {
		String cmd = commandLine();
		return cmd.contains("java") || cmd.contains(".jar");
	}

	private String jcmd(String command) {
		if (!jvm()) {
			return "";
		}
		String javaHome = System.getProperty("java.home");
		Path jcmd = Path.of(javaHome, "bin", "jcmd");
		try {
			Process p = new ProcessBuilder(jcmd.toString(), Long.toString(this.pid), command).redirectErrorStream(true)
				.start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			p.waitFor(60, TimeUnit.SECONDS);
			return out;
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private String read(String file) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(this.pid), file), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read /proc/" + this.pid + "/" + file + ": " + ex.getMessage(), ex);
		}
	}

}
