package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

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

	@Test
	void shouldWriteManyChangesThatComeAtOnceInFewScriptCalls() {
		PresenceStore store = node("batch", Duration.ofSeconds(30));
		store.set("batch-warm", "c", "online", "").block(Duration.ofSeconds(5));
		long before = scriptCalls();
		int users = 500;
		List<PresenceStore.Change> changes = Flux.range(0, users)
			.flatMap((i) -> store.set("batch-user-" + i, "c", "online", "workspace:w" + i), users)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(changes).hasSize(users).allMatch(PresenceStore.Change::changed);
		// one call per change was 500; batched, a handful (another module's tests may
		// run scripts on the same Redis meanwhile: the bound leaves them room)
		assertThat(scriptCalls() - before).isLessThan(100);
		assertThat(store.online().block(Duration.ofSeconds(5))).containsKeys("batch-user-0", "batch-user-499");
	}

	private static long scriptCalls() {
		return commandCalls("evalsha") + evalCalls();
	}

	private static long evalCalls() {
		return commandCalls("eval");
	}

	private static long commandCalls(String command) {
		String stats = connection.sync().info("commandstats");
		Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
		return m.find() ? Long.parseLong(m.group(1)) : 0;
	}

}
