package dev.agenthub.gateway.session;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Claims in Redis: {@code <prefix>client-owner:<clientId>} holds the user, with a TTL. A
 * claim is one {@code SET … NX GET PX} (one round trip; one key, so alike on a cluster);
 * a renewal of one's own claim adds a {@code PEXPIRE} nobody waits for.
 */
public final class RedisClientIdClaims implements ClientIdClaims {

	private static final Logger logger = LoggerFactory.getLogger(RedisClientIdClaims.class);

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	public RedisClientIdClaims(RedisEngine engine, String keyPrefix) {
		this.redis = engine.commands();
		this.prefix = keyPrefix + "client-owner:";
	}

	@Override
	public Mono<Boolean> claim(String clientId, String subject, Duration ttl) {
		String key = this.prefix + clientId;
		long millis = Math.max(1, ttl.toMillis());
		return this.redis.setGet(key, subject, SetArgs.Builder.nx().px(millis)).map((holder) -> {
			if (!holder.equals(subject)) {
				return false;
			}
			// the holder's own claim: renewed without waiting (the answer is known)
			this.redis.pexpire(key, millis)
				.subscribe(null,
						(ex) -> logger.debug("Claim of client id {} not renewed: {}", clientId, ex.toString()));
			return true;
		})
			// nothing was there: the claim is new
			.defaultIfEmpty(true);
	}

}
