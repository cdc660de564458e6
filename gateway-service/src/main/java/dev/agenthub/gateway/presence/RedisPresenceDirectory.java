package dev.agenthub.gateway.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.agenthub.contracts.codec.HubJson;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/**
 * {@link PresenceDirectory} in Redis, shared by every gateway: one key per user,
 * {@code <prefix>presence:ws:<user>}, holding its workspaces as a JSON array, with a TTL
 * of {@link #TTL}. Reads are {@code MGET}s of at most {@value #BATCH} keys.
 */
public final class RedisPresenceDirectory implements PresenceDirectory {

	private static final int BATCH = 500;

	private static final TypeReference<Set<String>> STRINGS = new TypeReference<>() {
	};

	private final StatefulRedisConnection<String, String> connection;

	private final String keyPrefix;

	public RedisPresenceDirectory(StatefulRedisConnection<String, String> connection, String keyPrefix) {
		this.connection = connection;
		this.keyPrefix = keyPrefix + "presence:ws:";
	}

	@Override
	public Mono<Void> remember(String userId, Set<String> workspaces) {
		return this.connection.reactive()
			.set(this.keyPrefix + userId, HubJson.write(workspaces), SetArgs.Builder.px(TTL.toMillis()))
			.then();
	}

	@Override
	public Mono<Map<String, Set<String>>> workspacesOf(Collection<String> userIds) {
		List<String> ids = new ArrayList<>(userIds);
		List<List<String>> batches = new ArrayList<>();
		for (int i = 0; i < ids.size(); i += BATCH) {
			batches.add(ids.subList(i, Math.min(ids.size(), i + BATCH)));
		}
		return Flux.fromIterable(batches)
			.concatMap((batch) -> this.connection.reactive()
				.mget(batch.stream().map((id) -> this.keyPrefix + id).toArray(String[]::new)))
			.filter(KeyValue::hasValue)
			.collectMap((entry) -> entry.getKey().substring(this.keyPrefix.length()),
					(entry) -> HubJson.mapper().readValue(entry.getValue(), STRINGS), HashMap::new);
	}

}
