package dev.agenthub.gateway.session;

import java.time.Duration;
import java.time.Instant;

import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Claims in Redis: {@code <prefix>client-owner:<clientId>} holds the user and when the
 * claim began ({@code <subject>|<epoch millis>}), with a TTL. A claim is one
 * {@code SET … NX GET PX} (one round trip; one key, so alike on a cluster); a renewal of
 * one's own claim adds a {@code PEXPIRE} nobody waits for. A new claim then counts
 * against its user's quota, {@code <prefix>client-ids:<hash of the user>} (a counter that
 * lives one TTL from the user's first new id; its own key, so its own slot on a cluster);
 * past the quota the claim is taken back ({@code DEL}) and refused.
 */
public final class RedisClientIdClaims implements ClientIdClaims {

	private static final Logger logger = LoggerFactory.getLogger(RedisClientIdClaims.class);

	private static final char SEPARATOR = '|';

	/** The answer when the id is not the user's (filtered out). */
	private static final Instant NOT_MINE = Instant.MIN;

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	private final RedisUserQuota quota;

	public RedisClientIdClaims(RedisEngine engine, String keyPrefix, int perUser) {
		this.redis = engine.commands();
		this.prefix = keyPrefix + "client-owner:";
		this.quota = new RedisUserQuota(engine, keyPrefix + "client-ids:", perUser);
	}

	@Override
	public Mono<Instant> hold(String clientId, String subject, Duration ttl) {
		String key = this.prefix + clientId;
		long millis = Math.max(1, ttl.toMillis());
		Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
		return this.redis.setGet(key, value(subject, now), SetArgs.Builder.nx().px(millis)).map((holder) -> {
			int split = holder.lastIndexOf(SEPARATOR);
			Instant since = startOf(holder, split);
			String held = (since != null) ? holder.substring(0, split) : holder;
			if (!held.equals(subject)) {
				return NOT_MINE;
			}
			// the holder's own claim: renewed without waiting (the answer is known)
			this.redis.pexpire(key, millis)
				.subscribe(null,
						(ex) -> logger.debug("Claim of client id {} not renewed: {}", clientId, ex.toString()));
			// a claim written before claims kept their start: as old as can be
			return (since != null) ? since : Instant.EPOCH;
		})
			// nothing was there: the claim is new, and counts against the user's quota
			.switchIfEmpty(Mono.defer(() -> counted(key, subject, ttl).map((mine) -> mine ? now : NOT_MINE)))
			.filter((since) -> since != NOT_MINE);
	}

	/**
	 * What a claim holds: its user and when it began ({@code <subject>|<epoch millis>}).
	 */
	static String value(String subject, Instant since) {
		return subject + SEPARATOR + since.toEpochMilli();
	}

	private static @Nullable Instant startOf(String value, int split) {
		if (split < 0 || split == value.length() - 1) {
			return null;
		}
		for (int i = split + 1; i < value.length(); i++) {
			if (!Character.isDigit(value.charAt(i))) {
				return null;
			}
		}
		try {
			return Instant.ofEpochMilli(Long.parseLong(value, split + 1, value.length(), 10));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private Mono<Boolean> counted(String key, String subject, Duration ttl) {
		return this.quota.take(subject, ttl)
			.flatMap((within) -> within ? Mono.just(true) : this.redis.del(key).thenReturn(false));
	}

}
