package dev.agenthub.shim;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * One run of the shim executable in a child process, with its stdout and stderr captured
 * to files so a chatty process can never block on a full pipe.
 */
final class ShimProcess implements AutoCloseable {

	static final Pattern DEVTOOLS_LINE = Pattern
		.compile("^DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)(/devtools/browser/[^\\s]+))$", Pattern.MULTILINE);

	private final Process process;

	private final Path dir;

	private ShimProcess(Process process, Path dir) {
		this.process = process;
		this.dir = dir;
	}

	static ShimProcess start(String cdpHost, int cdpPort, String... args) throws IOException {
		return start(Map.of(), cdpHost, cdpPort, args);
	}

	static ShimProcess start(Map<String, String> extraEnv, String cdpHost, int cdpPort, String... args)
			throws IOException {
		Path dir = Files.createTempDirectory("cdp-shim-run-");
		List<String> command = new ArrayList<>();
		command.add(ShimExecutable.path().toString());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout").toFile())
			.redirectError(dir.resolve("stderr").toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Map<String, String> env = builder.environment();
		env.put("CDP_HOST", cdpHost);
		env.put("CDP_PORT", Integer.toString(cdpPort));
		env.putAll(extraEnv);
		return new ShimProcess(builder.start(), dir);
	}

	Path dir() {
		return this.dir;
	}

	Process process() {
		return this.process;
	}

	/** Waits for the {@code DevTools listening on} line and returns its match. */
	Matcher awaitDevToolsLine(Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Matcher matcher = DEVTOOLS_LINE.matcher(stderr());
			if (matcher.find()) {
				return matcher;
			}
			if (!this.process.isAlive()) {
				break;
			}
			Thread.sleep(25);
		}
		return fail("no DevTools line within %s; exit: %s; stderr:%n%s", timeout,
				this.process.isAlive() ? "running" : this.process.exitValue(), stderr());
	}

	int awaitExit(Duration timeout) throws IOException, InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			fail("the shim did not exit within %s; stderr:%n%s", timeout, stderr());
		}
		return this.process.exitValue();
	}

	String stdout() throws IOException {
		return Files.readString(this.dir.resolve("stdout"), StandardCharsets.UTF_8);
	}

	String stderr() throws IOException {
		return Files.readString(this.dir.resolve("stderr"), StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException, InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		RemoteChromium.deleteTree(this.dir);
	}

}
