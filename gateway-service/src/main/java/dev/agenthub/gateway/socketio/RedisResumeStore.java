package dev.agenthub.gateway.socketio;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.codec.HubJson;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Records in Redis ({@code <prefix>sio:resume:<pid>}, JSON, with a TTL; taken by GETDEL).
 * One key per record, so it works alike on one Redis and on a cluster.
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
			.flatMap((json) -> this.redis.set(this.prefix + pid, json, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))))
			.then();
	}

	@Override
	public Mono<ResumeRecord> take(String pid) {
		return this.redis.getdel(this.prefix + pid).mapNotNull(this::decode);
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
