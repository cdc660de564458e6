package dev.agenthub.support.engine;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry bound once or offered again (a service of the one-process hub sees its own
 * binder and its parent's) counts each command once; a second registry counts it too; an
 * unbound recorder records nowhere.
 */
class RedisCommandLatencyTests {

	static final InetSocketAddress REDIS = new InetSocketAddress("127.0.0.1", 6379);

	@Test
	void shouldCountEachCommandOnceInEveryBoundRegistry() {
		RedisCommandLatency latency = new RedisCommandLatency();
		latency.recordCommandLatency(null, REDIS, CommandType.EVALSHA, 1_000, 2_000);

		SimpleMeterRegistry one = new SimpleMeterRegistry();
		SimpleMeterRegistry two = new SimpleMeterRegistry();
		latency.binder().bindTo(one);
		latency.binder().bindTo(one);
		latency.binder().bindTo(two);
		latency.recordCommandLatency(null, REDIS, CommandType.EVALSHA, 1_000, 250_000);

		for (SimpleMeterRegistry registry : new SimpleMeterRegistry[] { one, two }) {
			Timer completion = registry.get("lettuce.command.completion").tag("command", "EVALSHA").timer();
			assertThat(completion.count()).isEqualTo(1);
			assertThat(completion.max(TimeUnit.MICROSECONDS)).isEqualTo(250);
			assertThat(registry.get("lettuce.command.firstresponse").tag("command", "EVALSHA").timer().count())
				.isEqualTo(1);
		}
	}

}
