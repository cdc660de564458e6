package dev.agenthub.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium} package) on a random DevTools port:
 * the "remote Chrome" the shim relays to. {@code --remote-debugging-port=0} lets Chrome
 * pick the port; it is read back from {@code DevToolsActivePort}, so there is no race for
 * a port.
 */
final class RemoteChromium implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private final Process process;

	private final Path home;

	private final int port;

	private final String browserPath;

	private RemoteChromium(Process process, Path home, int port, String browserPath) {
		this.process = process;
		this.home = home;
		this.port = port;
		this.browserPath = browserPath;
	}

	static RemoteChromium start() throws IOException, InterruptedException {
		Path binary = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
		if (!Files.isExecutable(binary)) {
			throw new IllegalStateException("The CDP shim's integration tests need a real Chromium at " + binary
					+ ": run 'apt-get update && apt-get install -y chromium' (or set CHROMIUM to its path)");
		}
		Path home = Files.createTempDirectory("cdp-shim-remote-");
		Path profile = home.resolve("profile");
		Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0", "--user-data-dir=" + profile)
			.redirectErrorStream(true)
			.redirectOutput(home.resolve("chromium.log").toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		Path activePort = profile.resolve("DevToolsActivePort");
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (Files.exists(activePort)) {
				List<String> lines = Files.readAllLines(activePort, StandardCharsets.UTF_8);
				if (lines.size() >= 2 && lines.get(1).startsWith("/devtools/browser/")) {
					return new RemoteChromium(process, home, Integer.parseInt(lines.get(0).strip()),
							lines.get(1).strip());
				}
			}
			if (!process.isAlive()) {
				break;
			}
			Thread.sleep(50);
		}
		String log = Files.readString(home.resolve("chromium.log"));
		kill(process);
		deleteTree(home);
		throw new IllegalStateException("Chromium did not open its DevTools port within " + STARTUP.toSeconds()
				+ " s; its output:\n" + log.substring(Math.max(0, log.length() - 4000)));
	}

	int port() {
		return this.port;
	}

	String browserPath() {
		return this.browserPath;
	}

	String browserId() {
		return this.browserPath.substring(this.browserPath.lastIndexOf('/') + 1);
	}

	boolean awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Kills Chromium at once, as a crash or a lost machine would. */
	void kill() throws InterruptedException {
		kill(this.process);
	}

	@Override
	public void close() throws InterruptedException, IOException {
		kill(this.process);
		deleteTree(this.home);
	}

	private static void kill(Process process) throws InterruptedException {
		List<ProcessHandle> children = process.descendants().toList();
		process.destroyForcibly();
		children.forEach(ProcessHandle::destroyForcibly);
		process.waitFor(10, TimeUnit.SECONDS);
	}

	static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// Chromium's helpers may still be writing while they die; a leftover temp
			// directory is harmless.
		}
	}

}
