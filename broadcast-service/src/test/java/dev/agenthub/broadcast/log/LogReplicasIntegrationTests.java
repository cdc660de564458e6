package dev.agenthub.broadcast.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.agenthub.broadcast.BroadcastServiceApplication;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.LogFeed;
import dev.agenthub.broker.LogFeed.LogEntry;
import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.broker.redis.RedisLogFeed;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two log writer replicas on one consumer group: a replica killed in the middle of a
 * batch (it had read the batch and written part of it, and acknowledged nothing) loses
 * nothing and gets nothing written twice, because a live replica claims its pending
 * entries.
 */
class LogReplicasIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final String GROUP = "broadcast-log";

	private final String prefix = RedisFixture.uniquePrefix();

	private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private final RedisClient client = RedisClient.create(RedisFixture.url());

	@AfterEach
	void stop() {
		this.replicas.forEach(ConfigurableApplicationContext::close);
		this.client.shutdown();
	}

	ConfigurableApplicationContext replica(PostgresFixture.Database database, String consumer) {
		List<String> args = new ArrayList<>(HubTestProperties.asArgs(HubTestProperties.redisEngine(this.prefix),
				HubTestProperties.postgres(database)));
		args.addAll(List.of("--server.port=0", "--spring.main.banner-mode=off", "--hub.log.consumer=" + consumer,
				"--hub.broker.log-claim-idle=1s"));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BroadcastServiceApplication.class)
			.run(args.toArray(String[]::new));
		this.replicas.add(context);
		return context;
	}

	@Test
	void shouldLoseNothingAndWriteNothingTwiceWhenAReplicaDiesMidBatch() {
		PostgresFixture.Database database = PostgresFixture.newDatabase();
		StatefulRedisConnection<String, String> connection = this.client.connect();
		RedisBrokerOptions options = RedisBrokerOptions.defaults().withKeyPrefix(this.prefix);
		Broker broker = new RedisBroker(connection, this.client.connectPubSub(), options);
		LogFeed feed = new RedisLogFeed(this.client.connect(), connection, options);
		String channel = "workspace:replicas";
		// Replica A joins the group, then events are published.
		feed.consume(GROUP, "replica-a").take(Duration.ofMillis(300)).blockLast(WAIT);
		for (int i = 1; i <= 200; i++) {
			broker.publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + "\"}"))
				.block(WAIT);
		}
		// Replica A reads a batch of 120 and dies after writing the first 50 of it: no
		// acknowledgement.
		List<LogEntry> batch = feed.consume(GROUP, "replica-a").take(120).collectList().block(WAIT);
		assertThat(batch).hasSize(120);
		String epoch = batch.get(0).publication().event().epoch();
		// Replica B starts; its writer reads what A never took and claims what A left.
		ConfigurableApplicationContext b = replica(database, "replica-b");
		EventLogRepository repository = b.getBean(EventLogRepository.class);
		List<HubEvent> firstHalf = batch.subList(0, 50).stream().map((entry) -> entry.publication().event()).toList();
		repository.insert(firstHalf).block(WAIT);
		await().atMost(WAIT).until(() -> repository.findAfter(channel, epoch, 0, 1000).count().block(WAIT) == 200);
		List<Long> offsets = repository.findAfter(channel, epoch, 0, 1000)
			.map(HubEvent::offset)
			.collectList()
			.block(WAIT);
		assertThat(offsets).isEqualTo(LongStream.rangeClosed(1, 200).boxed().toList());
		// Every entry ends acknowledged: nothing stays pending at the dead replica.
		await().atMost(WAIT)
			.until(() -> connection.sync().xpending(options.logStreams().get(0), GROUP).getCount() == 0);
	}

}
