package dev.agenthub.gateway.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.codec.HubJson;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
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

	private final RedisEngine engine;

	private final String keyPrefix;

	/**
	 * @param engine one Redis or a cluster (all keys in one slot there, the
	 * {@code presence} hash tag, so a batch read is one {@code MGET})
	 * @param keyPrefix the engine's key prefix
	 */
	public RedisPresenceDirectory(RedisEngine engine, String keyPrefix) {
		this.engine = engine;
		this.keyPrefix = keyPrefix + engine.tag("presence") + ":ws:";
	}

	@Override
	public Mono<Void> remember(String userId, Set<String> workspaces) {
		return this.engine.commands()
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
			.concatMap((batch) -> this.engine.commands()
				.mget(batch.stream().map((id) -> this.keyPrefix + id).toArray(String[]::new)))
			.filter(KeyValue::hasValue)
			.collectMap((entry) -> entry.getKey().substring(this.keyPrefix.length()),
					(entry) -> HubJson.mapper().readValue(entry.getValue(), STRINGS), HashMap::new);
	}

}
