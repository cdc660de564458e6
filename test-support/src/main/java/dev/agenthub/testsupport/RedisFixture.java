package dev.agenthub.testsupport;

import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for tests, one per test JVM: {@code HUB_TEST_REDIS_URL}, else
 * {@code redis://127.0.0.1:6379}, else a Testcontainers Redis where Docker exists; with
 * none of them, tests fail saying how to start one. Never skipped.
 */
public final class RedisFixture {

	private static final String DEFAULT_URL = "redis://127.0.0.1:6379";

	private static volatile String url;

	private RedisFixture() {
	}

	/** The Redis URL tests use. */
	public static synchronized String url() {
		if (url == null) {
			url = locate();
		}
		return url;
	}

	/** A key prefix no other test run uses, e.g. {@code t-1a2b3c4d:}. */
	public static String uniquePrefix() {
		return "t-" + UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	private static String locate() {
		String configured = System.getenv("HUB_TEST_REDIS_URL");
		String candidate = (configured != null && !configured.isBlank()) ? configured : DEFAULT_URL;
		if (reachable(candidate)) {
			return candidate;
		}
		if (configured == null && dockerAvailable()) {
			GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
			redis.start();
			return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
		}
		throw new IllegalStateException("No Redis for the integration tests at " + candidate
				+ ". Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no"
				+ " (or set HUB_TEST_REDIS_URL, or run Docker for Testcontainers)");
	}

	private static boolean reachable(String candidate) {
		RedisClient client = RedisClient.create(RedisURI.create(candidate));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return "PONG".equals(connection.sync().ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
		finally {
			client.shutdown();
		}
	}

	static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
