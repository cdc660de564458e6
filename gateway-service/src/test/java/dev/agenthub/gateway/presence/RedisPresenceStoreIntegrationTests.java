package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisPresenceStoreIntegrationTests extends PresenceStoreContractTests {

	static RedisClient client;

	static StatefulRedisConnection<String, String> connection;

	private final String prefix = RedisFixture.uniquePrefix();

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Override
	PresenceStore node(String nodeId, Duration ttl) {
		return new RedisPresenceStore(RedisEngine.of(client, connection), this.prefix, nodeId, ttl);
	}

	@Test
	void shouldSendItsScriptsByTheirDigestNotTheirText() {
		PresenceStore store = node("digest", Duration.ofSeconds(30));
		store.set("digest-user", "c0", "online", "").block(Duration.ofSeconds(5));
		long before = evalCalls();
		for (int i = 0; i < 50; i++) {
			store.set("digest-user", "c" + i, "online", "").block(Duration.ofSeconds(5));
			store.remove("digest-user", "c" + i).block(Duration.ofSeconds(5));
		}
		store.status("digest-user").block(Duration.ofSeconds(5));
		// 100 changes and a status read: EVALSHA each time, the text only on a NOSCRIPT
		// (another test's SCRIPT FLUSH or a restarted Redis; at most once per script)
		assertThat(evalCalls() - before).isLessThanOrEqualTo(2);
	}

	private static long evalCalls() {
		String stats = connection.sync().info("commandstats");
		Matcher m = Pattern.compile("cmdstat_eval:calls=(\\d+)").matcher(stats);
		return m.find() ? Long.parseLong(m.group(1)) : 0;
	}

}
