package dev.agenthub.shim;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * The Node project in {@code src/test/node}: real CDP clients (Puppeteer, Playwright)
 * that drive a browser through the shim. Installs its pinned dependencies with
 * {@code npm ci} when {@code node_modules} is missing.
 */
final class NodeClients {

	private static final Path PROJECT = Path.of("src", "test", "node").toAbsolutePath();

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

	private static boolean installed;

	private NodeClients() {
	}

	/** The outcome of one {@code node drive.mjs} run. */
	record Run(int exitCode, String stdout, String stderr) {

		String lastLine() {
			String[] lines = this.stdout.strip().split("\n");
			return lines[lines.length - 1];
		}

	}

	static synchronized void ensureInstalled() throws IOException, InterruptedException {
		if (installed) {
			return;
		}
		if (!Files.isDirectory(PROJECT.resolve("node_modules/puppeteer-core"))
				|| !Files.isDirectory(PROJECT.resolve("node_modules/playwright-core"))) {
			Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), INSTALL_TIMEOUT);
			if (install.exitCode() != 0) {
				fail("'npm ci' in %s failed (exit %d); run it yourself: npm ci --prefix cdp-shim/src/test/node%n%s",
						PROJECT, install.exitCode(), install.stderr());
			}
		}
		installed = true;
	}

	static Run drive(String mode, Path shim, String url, Map<String, String> env, Duration timeout)
			throws IOException, InterruptedException {
		ensureInstalled();
		return run(List.of("node", "drive.mjs", mode, shim.toString(), url), env, timeout);
	}

	private static Run run(List<String> command, Map<String, String> env, Duration timeout)
			throws IOException, InterruptedException {
		Path out = Files.createTempFile("cdp-shim-node-", ".out");
		Path err = Files.createTempFile("cdp-shim-node-", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			builder.environment().putAll(env);
			Process process;
			try {
				process = builder.start();
			}
			catch (IOException ex) {
				return fail("cannot run %s (is Node.js 20+ with npm installed?): %s", command, ex.getMessage());
			}
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				return fail("%s did not finish within %s; stderr:%n%s", command, timeout, Files.readString(err));
			}
			return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

}
