package dev.agenthub.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Local {@code redis-server} processes as the fixtures start them ({@link PrivateRedis},
 * {@link RedisClusterFixture}): free ports, waiting for a node, one-off commands to it,
 * command lines such as {@code redis-cli --cluster}.
 */
final class LocalRedis {

	private static final Duration READY = Duration.ofSeconds(60);

	private LocalRedis() {
	}

	/** Whether nothing listens on a local port now. */
	static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Waits until the redis-server on a port answers {@code PING}. */
	static void awaitPing(int port, Process process) {
		Instant deadline = Instant.now().plus(READY);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("redis-server on port " + port + " exited (port taken?)");
			}
			if ("PONG".equals(call(port, (c) -> c.sync().ping()))) {
				return;
			}
			sleep(50);
		}
		throw new IllegalStateException("redis-server on port " + port + " did not start");
	}

	/** Runs a command on the node of a port; {@code null} when it cannot. */
	static String call(int port, Function<StatefulRedisConnection<String, String>, String> command) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return command.apply(connection);
		}
		catch (RuntimeException ex) {
			return null;
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/** Runs a command line in a directory, its output kept in {@code create.log}. */
	static void run(Path dir, List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("create.log").toFile())
			.start();
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException(
						"Failed: " + String.join(" ", command) + "\n" + Files.readString(dir.resolve("create.log")));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
