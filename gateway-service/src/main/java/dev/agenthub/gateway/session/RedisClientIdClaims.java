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
 * a renewal of one's own claim adds a {@code PEXPIRE} nobody waits for. A new claim then
 * counts against its user's quota, {@code <prefix>client-ids:<hash of the user>} (a
 * counter that lives one TTL from the user's first new id; its own key, so its own slot
 * on a cluster); past the quota the claim is taken back ({@code DEL}) and refused.
 */
public final class RedisClientIdClaims implements ClientIdClaims {

	private static final Logger logger = LoggerFactory.getLogger(RedisClientIdClaims.class);

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	private final RedisUserQuota quota;

	public RedisClientIdClaims(RedisEngine engine, String keyPrefix, int perUser) {
		this.redis = engine.commands();
		this.prefix = keyPrefix + "client-owner:";
		this.quota = new RedisUserQuota(engine, keyPrefix + "client-ids:", perUser);
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
			// nothing was there: the claim is new, and counts against the user's quota
			.switchIfEmpty(Mono.defer(() -> counted(key, subject, ttl)));
	}

	private Mono<Boolean> counted(String key, String subject, Duration ttl) {
		return this.quota.take(subject, ttl)
			.flatMap((within) -> within ? Mono.just(true) : this.redis.del(key).thenReturn(false));
	}

}
