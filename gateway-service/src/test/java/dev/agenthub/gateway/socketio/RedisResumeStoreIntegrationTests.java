package dev.agenthub.gateway.socketio;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResumeStoreIntegrationTests extends ResumeStoreContractTests {

	static RedisClient client;

	static StatefulRedisConnection<String, String> connection;

	static RedisResumeStore store;

	static String prefix;

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
		prefix = RedisFixture.uniquePrefix();
		store = new RedisResumeStore(RedisEngine.of(client, connection), prefix, PER_USER);
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Test
	void shouldTreatAnUnreadableRecordAsNoneAndTakeIt() {
		// e.g. written by an older version, or planted: the client then starts afresh
		for (String stored : new String[] { "not json", "{\"clientId\":[1]}", "{}", "[]" }) {
			String pid = pid();
			String key = store.key(pid, "alice");
			assertThat(key).startsWith(prefix + "sio:resume:" + pid + ":");
			connection.sync().set(key, stored);
			assertThat(store.take(pid, "alice").blockOptional(WAIT)).as(stored).isEmpty();
			assertThat(connection.sync().exists(key)).isZero();
		}
	}

	@Override
	ResumeStore store() {
		return store;
	}

}
