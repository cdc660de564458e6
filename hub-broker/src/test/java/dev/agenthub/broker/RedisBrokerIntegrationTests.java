package dev.agenthub.broker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.broker.redis.RedisLogFeed;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisBrokerIntegrationTests extends BrokerContractTests {

	private static RedisClient client;

	private static StatefulRedisConnection<String, String> connection;

	private static RedisBrokerOptions options;

	private static RedisBroker broker;

	private static RedisLogFeed logFeed;

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
		options = new RedisBrokerOptions(RedisFixture.uniquePrefix(), HISTORY_SIZE, Duration.ofMinutes(10),
				Duration.ofMinutes(20), 100_000)
			.withBytes(HISTORY_BYTES, 64L << 20);
		broker = new RedisBroker(connection, client.connectPubSub(), options);
		logFeed = new RedisLogFeed(client.connect(), connection, options);
	}

	@AfterAll
	static void cleanUp() {
		var sync = connection.sync();
		var keys = sync.keys(options.keyPrefix() + "*");
		if (!keys.isEmpty()) {
			sync.del(keys.toArray(String[]::new));
		}
		client.shutdown();
	}

	@Override
	Broker broker() {
		return broker;
	}

	@Override
	LogFeed logFeed() {
		return logFeed;
	}

	@Override
	void loseHistory(String channel) {
		var sync = connection.sync();
		sync.del(options.metaKey(channel), options.historyKey(channel));
	}

	@Override
	int subscribedChannels() {
		return broker.subscribedChannels();
	}

	@Override
	boolean holdsState(String channel) {
		return connection.sync().exists(options.metaKey(channel), options.historyKey(channel)) > 0;
	}

	@Test
	void shouldReadManyPositionsAskedAtOnceInFewScriptCalls() {
		broker.position(channel()).block(WAIT);
		long before = scriptCalls();
		int channels = 500;
		var positions = reactor.core.publisher.Flux.range(0, channels)
			.flatMap((i) -> broker.position((i % 2 == 0) ? channel() : "client:" + java.util.UUID.randomUUID()),
					channels)
			.collectList()
			.block(WAIT);
		assertThat(positions).hasSize(channels).allMatch((p) -> p.offset() == 0);
		// one call per channel was 500; batched, a handful (other modules' tests may run
		// scripts on the same Redis meanwhile: the bound leaves them room)
		assertThat(scriptCalls() - before).isLessThan(100);
	}

	private static long scriptCalls() {
		String stats = connection.sync().info("commandstats");
		long calls = 0;
		for (String command : new String[] { "eval", "evalsha" }) {
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
				.matcher(stats);
			calls += m.find() ? Long.parseLong(m.group(1)) : 0;
		}
		return calls;
	}

	@Test
	void shouldReadASteadyStreamOfPublishesInBatchesNotOneReadPerEvent() {
		RedisBrokerOptions own = new RedisBrokerOptions(RedisFixture.uniquePrefix(), HISTORY_SIZE,
				Duration.ofMinutes(10), Duration.ofMinutes(20), 100_000);
		RedisClient reading = RedisClient.create(RedisFixture.url());
		AtomicInteger reads = new AtomicInteger();
		reading.addListener(new CommandListener() {
			@Override
			public void commandStarted(CommandStartedEvent event) {
				if (event.getCommand().getType() == CommandType.XREADGROUP) {
					reads.incrementAndGet();
				}
			}
		});
		try {
			RedisLogFeed feed = new RedisLogFeed(reading.connect(), reading.connect(), own);
			RedisBroker publisher = new RedisBroker(connection, client.connectPubSub(), own);
			String channel = channel();
			int events = 200;
			var consumed = feed.consume("steady", "c1").take(events).collectList().toFuture();
			// a steady stream: each publish as the one before completes, as an agent's
			// output is published
			for (int i = 1; i <= events; i++) {
				publisher.publish(channel, "tab:output", data(i)).block(WAIT);
			}
			assertThat(consumed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join())
				.extracting((entry) -> entry.publication().event().offset())
				.isEqualTo(LongStream.rangeClosed(1, events).boxed().toList());
			// one blocking read per event would be about 200 reads; batched, a few per
			// pause of the feed
			assertThat(reads.get()).isLessThan(events / 4);
		}
		finally {
			reading.shutdown();
			var sync = connection.sync();
			var keys = sync.keys(own.keyPrefix() + "*");
			if (!keys.isEmpty()) {
				sync.del(keys.toArray(String[]::new));
			}
		}
	}

	@Test
	void shouldExpireAnEphemeralChannelSoonAfterItsLastPublish() {
		String channel = "client:" + java.util.UUID.randomUUID();
		broker.publish(channel, "sync:reply", data(1)).block(WAIT);
		long ttl = connection.sync().ttl(options.metaKey(channel));
		assertThat(ttl).isPositive().isLessThanOrEqualTo(options.ephemeralTtl().toSeconds());
		assertThat(connection.sync().ttl(options.historyKey(channel))).isPositive()
			.isLessThanOrEqualTo(options.ephemeralTtl().toSeconds());
	}

	@Test
	void shouldBoundTheLogStreamInEventsAndBytes() {
		RedisBrokerOptions small = new RedisBrokerOptions(RedisFixture.uniquePrefix(), HISTORY_SIZE,
				Duration.ofMinutes(10), Duration.ofMinutes(20), 100)
			.withBytes(HISTORY_BYTES, 50 * 1024);
		RedisBroker bounded = new RedisBroker(connection, client.connectPubSub(), small);
		String log = small.logStreams().get(0);
		for (int i = 1; i <= 150; i++) {
			bounded.publish(channel(), "tab:output", data(i)).block(WAIT);
		}
		assertThat(connection.sync().xlen(log)).isEqualTo(100);
		String kib = "z".repeat(1024);
		for (int i = 1; i <= 80; i++) {
			bounded.publish(channel(), "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + kib + "\"}"))
				.block(WAIT);
		}
		long bytes = connection.sync()
			.xrange(log, io.lettuce.core.Range.create("-", "+"))
			.stream()
			.mapToLong((message) -> message.getBody().get("e").length())
			.sum();
		assertThat(bytes).isLessThanOrEqualTo(50 * 1024).isGreaterThan(40 * 1024);
		assertThat(connection.sync().get(log + ":bytes")).isEqualTo(Long.toString(bytes));
		connection.sync().del(log, log + ":bytes");
	}

}
