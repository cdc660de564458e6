package dev.agenthub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of a test's own: the machine's {@code redis-server} on a free local port (never
 * 6379), without persistence, that the test may kill — as a crash would — and start again
 * on the same port, empty, as a restarted Redis without persistence comes back. For tests
 * of what the hub does while its Redis is gone; the shared {@link RedisFixture} serves
 * every other test.
 */
public final class PrivateRedis implements AutoCloseable {

	private final int port;

	private final Path dir;

	private Process process;

	private PrivateRedis(int port, Path dir) {
		this.port = port;
		this.dir = dir;
	}

	/** Starts one (fails, saying how to install {@code redis-server}, when it cannot). */
	public static PrivateRedis start() {
		try {
			Path dir = Files.createTempDirectory("hub-private-redis-");
			IllegalStateException last = null;
			for (int attempt = 0; attempt < 5; attempt++) {
				int port = ThreadLocalRandom.current().nextInt(20000, 30000);
				if (!LocalRedis.free(port)) {
					continue;
				}
				PrivateRedis redis = new PrivateRedis(port, dir);
				try {
					redis.launch();
					Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "private-redis-stop"));
					return redis;
				}
				catch (IllegalStateException ex) {
					// the port was taken between the check and the bind
					redis.close();
					last = ex;
				}
			}
			throw new IllegalStateException(
					"Could not start redis-server (install it with: apt-get install -y " + "redis-server)", last);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code redis://127.0.0.1:<port>}. */
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Kills it with SIGKILL and waits until it is gone. */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	/**
	 * Stops it with SIGSTOP, as a stalled Redis (a long fork, a swapped-out host) takes
	 * commands and answers none until {@link #resume()}.
	 */
	public synchronized void pause() {
		signal("-STOP");
	}

	/** Lets a {@link #pause() paused} Redis go on (SIGCONT). */
	public synchronized void resume() {
		signal("-CONT");
	}

	private void signal(String signal) {
		try {
			int exit = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).start().waitFor();
			if (exit != 0) {
				throw new IllegalStateException("kill " + signal + " exited with " + exit);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Starts it again on the same port, empty; returns once it answers. */
	public synchronized void restart() {
		kill();
		launch();
	}

	private synchronized void launch() {
		try {
			this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run redis-server", ex);
		}
		LocalRedis.awaitPing(this.port, this.process);
	}

	@Override
	public synchronized void close() {
		kill();
		try (var files = Files.walk(this.dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind is harmless
		}
	}

}
