package dev.agenthub.sidecar.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code git status --porcelain=v2 --branch} in the repository directory on each
 * {@link #tick()} and reports the result when it changed, or anyway every
 * {@code forceEvery} ticks so a late subscriber catches up.
 */
public final class GitStatusReporter {

	private static final Logger logger = LoggerFactory.getLogger(GitStatusReporter.class);

	private static final long GIT_TIMEOUT_SECONDS = 10;

	private static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

	private final Path repoDir;

	private final int forceEvery;

	private final Consumer<GitStatus> sink;

	private GitStatus last;

	private int unchangedTicks;

	private boolean warned;

	public GitStatusReporter(Path repoDir, int forceEvery, Consumer<GitStatus> sink) {
		this.repoDir = repoDir;
		this.forceEvery = Math.max(1, forceEvery);
		this.sink = sink;
	}

	/**
	 * Reads the status once and reports it if due. Blocks up to 10 s; call it from a
	 * scheduler thread.
	 */
	public synchronized void tick() {
		GitStatus status;
		try {
			status = read();
		}
		catch (IOException | IllegalArgumentException ex) {
			if (!this.warned) {
				logger.info("No git status for {}: {}", this.repoDir, ex.getMessage());
				this.warned = true;
			}
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.warned = false;
		if (!status.equals(this.last) || ++this.unchangedTicks >= this.forceEvery) {
			this.last = status;
			this.unchangedTicks = 0;
			this.sink.accept(status);
		}
	}

	GitStatus read() throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of("git", "status", "--porcelain=v2", "--branch"))
			.directory(this.repoDir.toFile())
			.redirectErrorStream(false)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readNBytes(MAX_OUTPUT_BYTES);
		if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException("git status timed out");
		}
		if (process.exitValue() != 0) {
			throw new IOException("git status exited with " + process.exitValue() + " (not a repository?)");
		}
		return PorcelainV2Parser.parse(new String(output, StandardCharsets.UTF_8));
	}

}
