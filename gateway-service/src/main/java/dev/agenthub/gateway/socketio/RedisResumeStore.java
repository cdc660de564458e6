package dev.agenthub.gateway.socketio;

import java.time.Duration;
import java.util.Set;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.session.RedisUserQuota;
import dev.agenthub.gateway.session.SubjectHash;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Records in Redis ({@code <prefix>sio:resume:<pid>:<user>}, JSON, with a TTL; taken by
 * GETDEL), the user as a hash of the record's subject: a pid presented by another user
 * names another key, so it neither reads nor deletes the record. One key per record, so
 * it works alike on one Redis and on a cluster.
 * <p>
 * A user keeps at most a set number of records per record TTL: each save counts in
 * {@code <prefix>sio:resumes:<user>} (a counter living one TTL from the user's first
 * save; its own key, so its own slot on a cluster), and past the count the record is not
 * kept (that reconnect refetches state). Without it one user dropping sockets again and
 * again would grow Redis by a record (up to 512 recent events and its positions) per
 * drop. Records saved in one window live at most a TTL past it, so a user has at most
 * twice its share at once.
 */
public final class RedisResumeStore implements ResumeStore {

	private static final Logger logger = LoggerFactory.getLogger(RedisResumeStore.class);

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	private final RedisUserQuota quota;

	/** Users whose records are not counted (the gateway's own warm-up). */
	private final Set<String> uncounted;

	public RedisResumeStore(RedisEngine engine, String keyPrefix, int perUser) {
		this(engine, keyPrefix, perUser, Set.of());
	}

	/**
	 * @param engine the Redis engine
	 * @param keyPrefix the engine's key prefix
	 * @param perUser records one user keeps per record TTL
	 * @param uncounted users whose records are not counted: the gateway's own warm-up
	 * user, whose loopback sockets (thousands, one user) are as many as the warm-up
	 * serves, while it runs
	 */
	public RedisResumeStore(RedisEngine engine, String keyPrefix, int perUser, Set<String> uncounted) {
		this.redis = engine.commands();
		this.prefix = keyPrefix + "sio:resume:";
		this.quota = new RedisUserQuota(engine, keyPrefix + "sio:resumes:", perUser);
		this.uncounted = Set.copyOf(uncounted);
	}

	@Override
	public Mono<Void> save(String pid, ResumeRecord record, Duration ttl) {
		long millis = Math.max(1, ttl.toMillis());
		return Mono.fromCallable(() -> HubJson.write(record))
			.flatMap((json) -> within(record.subject(), ttl).flatMap((within) -> {
				if (!within) {
					logger.debug("Socket.IO resume record {} not kept: its user is past its share", pid);
					return Mono.empty();
				}
				return this.redis.set(key(pid, record.subject()), json, SetArgs.Builder.px(millis));
			}))
			.then();
	}

	@Override
	public Mono<ResumeRecord> take(String pid, String subject) {
		return this.redis.getdel(key(pid, subject))
			.mapNotNull(this::decode)
			.filter((record) -> record.subject().equals(subject));
	}

	private Mono<Boolean> within(String subject, Duration ttl) {
		return this.uncounted.contains(subject) ? Mono.just(true) : this.quota.take(subject, ttl);
	}

	/** The key of a pid's record for a user. */
	String key(String pid, String subject) {
		return this.prefix + pid + ":" + SubjectHash.of(subject);
	}

	private ResumeRecord decode(String json) {
		try {
			return HubJson.mapper().readValue(json, ResumeRecord.class);
		}
		catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
			logger.debug("Unreadable Socket.IO resume record", ex);
			return null;
		}
	}

}
