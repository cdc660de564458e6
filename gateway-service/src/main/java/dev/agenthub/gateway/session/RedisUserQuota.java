package dev.agenthub.gateway.session;

import java.time.Duration;

import dev.agenthub.broker.redis.LuaScript;
import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Mono;

/**
 * How many of something a user may do per window, counted in Redis:
 * {@code <prefix><hash of the user>} is a counter that lives one window from the user's
 * first use in it (its own key, so its own slot on a cluster). One round trip per use.
 */
public final class RedisUserQuota {

	/** Counts one more use: the count, the window starting with the first. */
	private static final LuaScript COUNT = LuaScript.of("""
			local used = redis.call('INCR', KEYS[1])
			if used == 1 then
				redis.call('PEXPIRE', KEYS[1], ARGV[1])
			end
			return {used}
			""");

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	private final int perUser;

	/**
	 * @param engine the Redis engine
	 * @param prefix the counters' key prefix (the engine's, and what is counted)
	 * @param perUser uses allowed per window
	 */
	public RedisUserQuota(RedisEngine engine, String prefix, int perUser) {
		this.redis = engine.commands();
		this.prefix = prefix;
		this.perUser = perUser;
	}

	/**
	 * Counts one use by a user; whether it is within the user's quota.
	 * @param subject the user
	 * @param window how long a window lasts from its first use
	 */
	public Mono<Boolean> take(String subject, Duration window) {
		String[] key = { this.prefix + SubjectHash.of(subject) };
		return COUNT.run(this.redis, key, Long.toString(Math.max(1, window.toMillis())))
			.map((reply) -> ((Number) reply.get(0)).longValue() <= this.perUser);
	}

}
