package dev.agenthub.gateway.socketio;

import java.time.Duration;

import io.lettuce.core.SetArgs;
import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Mono;

/**
 * Records in Redis ({@code <prefix>sio:resume:<pid>}, with a TTL; taken by GETDEL). One
 * key per record, so it works alike on one Redis and on a cluster.
 */
public final class RedisResumeStore implements ResumeStore {

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String prefix;

	public RedisResumeStore(RedisEngine engine, String keyPrefix) {
		this.redis = engine.commands();
		this.prefix = keyPrefix + "sio:resume:";
	}

	@Override
	public Mono<Void> save(String pid, String record, Duration ttl) {
		return this.redis.set(this.prefix + pid, record, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))).then();
	}

	@Override
	public Mono<String> take(String pid) {
		return this.redis.getdel(this.prefix + pid);
	}

}
