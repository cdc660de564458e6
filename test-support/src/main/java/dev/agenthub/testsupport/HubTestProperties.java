package dev.agenthub.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties a hub service under test runs with: the Redis engine on the test Redis
 * under a key prefix of its own, the test token secret, and a test PostgreSQL database.
 * Use with {@code @DynamicPropertySource}
 * ({@code map.forEach((k, v) -> registry.add(k, () -> v))}) or as command-line arguments
 * ({@link #asArgs}).
 */
public final class HubTestProperties {

	private HubTestProperties() {
	}

	/** The Redis engine under a fresh key prefix, and the test token secret. */
	public static Map<String, String> redisEngine() {
		return redisEngine(RedisFixture.uniquePrefix());
	}

	/** The Redis engine under the given key prefix (shared by a cluster's services). */
	public static Map<String, String> redisEngine(String keyPrefix) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("hub.engine", "redis");
		properties.put("hub.redis.url", RedisFixture.url());
		properties.put("hub.broker.key-prefix", keyPrefix);
		properties.put("hub.auth.jwt-secret", TestTokens.SECRET);
		return properties;
	}

	/** A service's database on the given test PostgreSQL database. */
	public static Map<String, String> postgres(PostgresFixture.Database database) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("hub.postgres.url", database.r2dbcUrl().substring("r2dbc:".length()));
		properties.put("hub.postgres.user", database.username());
		properties.put("hub.postgres.password", database.password());
		return properties;
	}

	/** Properties as {@code --key=value} arguments. */
	@SafeVarargs
	public static List<String> asArgs(Map<String, String>... maps) {
		List<String> args = new ArrayList<>();
		for (Map<String, String> map : maps) {
			map.forEach((key, value) -> args.add("--" + key + "=" + value));
		}
		return args;
	}

}
