package dev.agenthub.gateway.socketio;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.codec.HubJson;
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
 */
public final class RedisResumeStore implements ResumeStore {

	private static final Logger logger = LoggerFactory.getLogger(RedisResumeStore.class);

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	public RedisResumeStore(RedisEngine engine, String keyPrefix) {
		this.redis = engine.commands();
		this.prefix = keyPrefix + "sio:resume:";
	}

	@Override
	public Mono<Void> save(String pid, ResumeRecord record, Duration ttl) {
		return Mono.fromCallable(() -> HubJson.write(record))
			.flatMap((json) -> this.redis.set(key(pid, record.subject()), json,
					SetArgs.Builder.px(Math.max(1, ttl.toMillis()))))
			.then();
	}

	@Override
	public Mono<ResumeRecord> take(String pid, String subject) {
		return this.redis.getdel(key(pid, subject))
			.mapNotNull(this::decode)
			.filter((record) -> record.subject().equals(subject));
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
