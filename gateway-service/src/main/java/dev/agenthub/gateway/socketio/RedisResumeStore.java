package dev.agenthub.gateway.socketio;

import java.time.Duration;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Mono;

/** Records in Redis ({@code <prefix>sio:resume:<pid>}, with a TTL; taken by GETDEL). */
public final class RedisResumeStore implements ResumeStore {

	private final StatefulRedisConnection<String, String> connection;

	private final String prefix;

	public RedisResumeStore(StatefulRedisConnection<String, String> connection, String keyPrefix) {
		this.connection = connection;
		this.prefix = keyPrefix + "sio:resume:";
	}

	@Override
	public Mono<Void> save(String pid, String record, Duration ttl) {
		return this.connection.reactive()
			.set(this.prefix + pid, record, SetArgs.Builder.px(Math.max(1, ttl.toMillis())))
			.then();
	}

	@Override
	public Mono<String> take(String pid) {
		return this.connection.reactive().getdel(this.prefix + pid);
	}

}
