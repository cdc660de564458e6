package dev.agenthub.sidecar.tailscale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Tailscale status on each {@link #tick()} when a {@code tailscale} executable
 * is on the {@code PATH}, and reports it when it changed. Without Tailscale it does
 * nothing.
 */
public final class TailscaleReporter {

	private static final Logger logger = LoggerFactory.getLogger(TailscaleReporter.class);

	private static final int MAX_OUTPUT_BYTES = 1024 * 1024;

	private final String executable;

	private final Consumer<TailscaleStatus> sink;

	private volatile TailscaleStatus last;

	private boolean warned;

	public TailscaleReporter(String executable, Consumer<TailscaleStatus> sink) {
		this.executable = executable;
		this.sink = sink;
	}

	/**
	 * Finds {@code tailscale} on a {@code PATH}.
	 * @param path the {@code PATH} value (may be {@code null})
	 * @return the executable, or {@code null}
	 */
	public static String findOnPath(String path) {
		if (path == null) {
			return null;
		}
		for (String dir : path.split(java.io.File.pathSeparator)) {
			if (!dir.isEmpty()) {
				Path candidate = Path.of(dir, "tailscale");
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
		}
		return null;
	}

	/**
	 * The last status read.
	 * @return the status, or {@code null}
	 */
	public TailscaleStatus last() {
		return this.last;
	}

	/**
	 * Reads the status once and reports it if it changed. Blocks up to 10 s.
	 */
	public synchronized void tick() {
		TailscaleStatus status;
		try {
			Process process = new ProcessBuilder(List.of(this.executable, "status", "--json"))
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			process.getOutputStream().close();
			byte[] output = process.getInputStream().readNBytes(MAX_OUTPUT_BYTES);
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException("tailscale status timed out");
			}
			status = TailscaleStatus.parse(new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException | IllegalArgumentException ex) {
			if (!this.warned) {
				logger.info("No Tailscale status: {}", ex.getMessage());
				this.warned = true;
			}
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.warned = false;
		if (!status.equals(this.last)) {
			this.last = status;
			this.sink.accept(status);
		}
	}

}
