package dev.agenthub.agent.lease;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.ScriptOutputType;
import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Mono;

/**
 * {@link WorkspaceLeases} in Redis, shared by every agent-service instance: the lease is
 * {@code <prefix>agent:lease:{ws}} = {@code node|session|fence} with a PX expiry; the
 * fence comes from {@code INCR <prefix>agent:fence:{ws}} in the same script, so it grows
 * even across expiries. Renew and release compare the stored value first (Lua, atomic).
 * On a Redis Cluster the workspace id is the keys' hash tag ({@code agent:lease:{ws}}).
 */
public class RedisWorkspaceLeases implements WorkspaceLeases {

	private static final String ACQUIRE = """
			local old = redis.call('GET', KEYS[1])
			local fence = redis.call('INCR', KEYS[2])
			local value = ARGV[1] .. '|' .. fence
			redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
			return {value, old or ''}
			""";

	private static final String REACQUIRE = """
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  return ''
			end
			local value = ARGV[1] .. '|' .. redis.call('INCR', KEYS[2])
			redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
			return value
			""";

	private static final String RENEW = """
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
			end
			return 0
			""";

	private static final String RELEASE = """
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('DEL', KEYS[1])
			end
			return 0
			""";

	private final RedisClusterReactiveCommands<String, String> redis;

	private final RedisEngine engine;

	private final String prefix;

	private final String ttlMillis;

	public RedisWorkspaceLeases(RedisEngine engine, String keyPrefix, Duration ttl) {
		this.redis = engine.commands();
		this.engine = engine;
		this.prefix = keyPrefix + "agent:";
		this.ttlMillis = Long.toString(ttl.toMillis());
	}

	@Override
	public Mono<Acquired> acquire(String workspaceId, String nodeId, String sessionId) {
		String[] keys = { leaseKey(workspaceId), fenceKey(workspaceId) };
		return this.redis
			.<List<Object>>eval(ACQUIRE, ScriptOutputType.MULTI, keys, nodeId + "|" + sessionId, this.ttlMillis)
			.next()
			.map((values) -> new Acquired(Lease.parse(workspaceId, (String) values.get(0)),
					Lease.parse(workspaceId, emptyToNull((String) values.get(1)))));
	}

	@Override
	public Mono<Boolean> renew(Lease lease) {
		return this.redis
			.<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] { leaseKey(lease.workspaceId()) }, lease.value(),
					this.ttlMillis)
			.next()
			.map((result) -> result == 1L);
	}

	@Override
	public Mono<Lease> reacquire(Lease lost) {
		String[] keys = { leaseKey(lost.workspaceId()), fenceKey(lost.workspaceId()) };
		return this.redis
			.<String>eval(REACQUIRE, ScriptOutputType.VALUE, keys, lost.nodeId() + "|" + lost.sessionId(),
					this.ttlMillis)
			.next()
			.mapNotNull((value) -> Lease.parse(lost.workspaceId(), emptyToNull(value)));
	}

	@Override
	public Mono<Boolean> release(Lease lease) {
		return this.redis
			.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] { leaseKey(lease.workspaceId()) },
					lease.value())
			.next()
			.map((result) -> result == 1L);
	}

	@Override
	public Mono<Lease> current(String workspaceId) {
		return this.redis.get(leaseKey(workspaceId)).mapNotNull((value) -> Lease.parse(workspaceId, value));
	}

	// On a cluster both keys of a workspace carry its id as hash tag: the scripts use
	// them
	// together.
	private String leaseKey(String workspaceId) {
		return this.prefix + "lease:" + this.engine.tag(workspaceId);
	}

	private String fenceKey(String workspaceId) {
		return this.prefix + "fence:" + this.engine.tag(workspaceId);
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
