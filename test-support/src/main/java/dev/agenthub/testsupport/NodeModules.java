package dev.agenthub.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Installs a test's Node packages ({@code npm ci}) when they are missing.
 * <p>
 * npm runs with its input closed and its output in a file, not inheriting the test JVM's
 * streams: a Node process handed the JVM's stdin makes it non-blocking, and in a Surefire
 * fork (whose stdin is Surefire's command channel) the fork then fails with "std/in
 * stream corrupted" after every test passed.
 */
public final class NodeModules {

	private NodeModules() {
	}

	/**
	 * Runs {@code npm ci} in {@code dir} unless every one of {@code packages} is there.
	 * @param dir the folder with {@code package.json} and {@code package-lock.json}
	 * @param packages packages whose presence means nothing needs installing
	 * @throws IllegalStateException when npm fails or takes more than 3 minutes (its
	 * output in the message)
	 */
	public static void install(File dir, String... packages) throws IOException, InterruptedException {
		boolean present = true;
		for (String name : packages) {
			present &= new File(dir, "node_modules/" + name).isDirectory();
		}
		if (present) {
			return;
		}
		Path log = Files.createTempFile("npm-ci", ".log");
		try {
			Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir)
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			boolean done = npm.waitFor(3, TimeUnit.MINUTES);
			if (!done) {
				npm.destroyForcibly();
			}
			if (!done || npm.exitValue() != 0) {
				throw new IllegalStateException(
						"npm ci in " + dir + (done ? " exited " + npm.exitValue() : " timed out") + ":\n"
								+ Files.readString(log, StandardCharsets.UTF_8));
			}
		}
		finally {
			Files.deleteIfExists(log);
		}
	}

}
