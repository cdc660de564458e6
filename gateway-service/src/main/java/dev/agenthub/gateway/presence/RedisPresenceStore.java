package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.agenthub.broker.NaturalBatcher;
import dev.agenthub.broker.redis.LuaScript;
import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Mono;

/**
 * Presence in Redis, shared by every gateway. Keys (under the engine's key prefix):
 * {@code presence:u:{user}} a hash connection id → {@code seq|status|node};
 * {@code presence:online} a hash of the users announced as not offline, with that status;
 * {@code presence:audience} a hash of users' audiences (until they are offline);
 * {@code presence:sizes} a hash of channels → how many of those audiences name them;
 * {@code presence:seq} the counter ordering status changes; {@code presence:node:{node}}
 * a key with the TTL that says the node is alive. Each change is applied inside one Lua
 * script, so nodes never interleave; changes that come while one is being written share
 * the next script call. On a Redis Cluster the keys carry the hash tag {@code {presence}}
 * ({@code hub:{presence}:online}, ...): one slot holds all presence.
 */
public final class RedisPresenceStore implements PresenceStore {

	private static final String AGGREGATE = """
			local function aggregate(key, nodePrefix)
			  local best, bestSeq = 'offline', -1
			  local fields = redis.call('HGETALL', key)
			  for i = 1, #fields, 2 do
			    local seq, status, node = string.match(fields[i + 1], '^(%d+)|([^|]*)|(.*)$')
			    if seq and redis.call('EXISTS', nodePrefix .. node) == 1 then
			      if tonumber(seq) > bestSeq then
			        best = status
			        bestSeq = tonumber(seq)
			      end
			    else
			      redis.call('HDEL', key, fields[i])
			    end
			  end
			  return best
			end
			local function recount(key, audience, delta)
			  if not audience or audience == '' then
			    return
			  end
			  for channel in string.gmatch(audience, '[^,]+') do
			    if redis.call('HINCRBY', key, channel, delta) <= 0 then
			      redis.call('HDEL', key, channel)
			    end
			  end
			end
			""";

	// A batch of changes, applied one after another as if each were its own call.
	// KEYS: online hash, sequence, this node's key, audience hash, sizes hash, then each
	// change's user hash. ARGV: node, node key prefix, ttl ms, then for each change its
	// connection id, status ('' to remove), user id and audience (with a status).
	// Returns before, after and audience for each change, in order.
	private static final LuaScript CHANGES = LuaScript.of(AGGREGATE + """
			redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
			local out = {}
			for i = 0, #KEYS - 6 do
			  local user = KEYS[6 + i]
			  local a = 4 + i * 4
			  local connection, status, userId, audience = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
			  local before = aggregate(user, ARGV[2])
			  if status ~= '' then
			    local seq = redis.call('INCR', KEYS[2])
			    redis.call('HSET', user, connection, seq .. '|' .. status .. '|' .. ARGV[1])
			    local had = redis.call('HGET', KEYS[4], userId)
			    if had ~= audience then
			      recount(KEYS[5], had, -1)
			      recount(KEYS[5], audience, 1)
			    end
			    redis.call('HSET', KEYS[4], userId, audience)
			  else
			    redis.call('HDEL', user, connection)
			  end
			  local after = aggregate(user, ARGV[2])
			  local heard = redis.call('HGET', KEYS[4], userId) or ''
			  if after == 'offline' then
			    redis.call('HDEL', KEYS[1], userId)
			    recount(KEYS[5], heard, -1)
			    redis.call('HDEL', KEYS[4], userId)
			  else
			    redis.call('HSET', KEYS[1], userId, after)
			  end
			  table.insert(out, before)
			  table.insert(out, after)
			  table.insert(out, heard)
			end
			return out
			""");

	// KEYS: online hash. ARGV: user hash prefix, node key prefix, cursor, batch. One step
	// of a pass over the online users: returns the next cursor ('0': the pass is done),
	// then user, status, ... for those not offline. Users found offline stay in the hash
	// for the sweep to announce. A batch per call, as the sweep: one call over every user
	// held Redis for everyone while it walked their connections.
	private static final LuaScript ONLINE = LuaScript.of(AGGREGATE + """
			local scan = redis.call('HSCAN', KEYS[1], ARGV[3], 'COUNT', ARGV[4])
			local out = {scan[1]}
			local online = scan[2]
			for i = 1, #online, 2 do
			  local status = aggregate(ARGV[1] .. online[i], ARGV[2])
			  if status ~= 'offline' then
			    table.insert(out, online[i])
			    table.insert(out, status)
			  end
			end
			return out
			""");

	// KEYS: user hash. ARGV: node key prefix.
	private static final LuaScript STATUS = LuaScript.of(AGGREGATE + """
			return {aggregate(KEYS[1], ARGV[1])}
			""");

	// KEYS: online hash, sweep lock, audience hash, sizes hash. ARGV: user hash prefix,
	// node key prefix, ttl ms, cursor, batch. One step of a pass over the online users:
	// returns the next cursor ('0': the pass is done), then user, status before,
	// audience, ... for users now offline. One caller per TTL starts a pass (cursor 0)
	// and takes it to its end, a batch per call: a pass in one call walked every user's
	// connections while Redis served nobody else (0.4 s with 10,000 users of a dead
	// node).
	private static final LuaScript SWEEP = LuaScript.of(AGGREGATE + """
			if ARGV[4] == '0' and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then
			  return {'0'}
			end
			local scan = redis.call('HSCAN', KEYS[1], ARGV[4], 'COUNT', ARGV[5])
			local out = {scan[1]}
			local online = scan[2]
			for i = 1, #online, 2 do
			  if aggregate(ARGV[1] .. online[i], ARGV[2]) == 'offline' then
			    redis.call('HDEL', KEYS[1], online[i])
			    table.insert(out, online[i])
			    table.insert(out, online[i + 1])
			    local audience = redis.call('HGET', KEYS[3], online[i]) or ''
			    table.insert(out, audience)
			    recount(KEYS[4], audience, -1)
			    redis.call('HDEL', KEYS[3], online[i])
			  end
			end
			return out
			""");

	/**
	 * Users a sweep or a listing looks at per script call (HSCAN's COUNT: a hint, not a
	 * bound).
	 */
	static final int SWEEP_BATCH = 200;

	/** Changes written per script call at most (each about ten Redis operations). */
	static final int CHANGE_BATCH = 64;

	private final RedisClusterReactiveCommands<String, String> redis;

	private final String userPrefix;

	private final String onlineKey;

	private final String sequenceKey;

	private final String sweepKey;

	private final String audienceKey;

	private final String sizesKey;

	private final String nodePrefix;

	private final String nodeKey;

	private final String node;

	private final long ttlMillis;

	/**
	 * Changes that come while one is being written go together in the next script call.
	 */
	private final NaturalBatcher<Request, Change> changes = new NaturalBatcher<>(CHANGE_BATCH, this::apply);

	/**
	 * @param engine the engine's Redis
	 * @param keyPrefix the engine's key prefix, e.g. {@code hub:}
	 * @param node this gateway's id (unique per process)
	 * @param ttl how long this node's entries live after its last refresh
	 */
	public RedisPresenceStore(RedisEngine engine, String keyPrefix, String node, Duration ttl) {
		this.redis = engine.commands();
		// On a cluster every presence key shares one hash tag: the scripts read and write
		// them together (and derive node and user keys inside the script).
		String base = keyPrefix + engine.tag("presence") + ":";
		this.userPrefix = base + "u:";
		this.onlineKey = base + "online";
		this.sequenceKey = base + "seq";
		this.sweepKey = base + "sweep";
		this.audienceKey = base + "audience";
		this.sizesKey = base + "sizes";
		this.nodePrefix = base + "node:";
		this.nodeKey = this.nodePrefix + node;
		this.node = node;
		this.ttlMillis = Math.max(1, ttl.toMillis());
	}

	@Override
	public Mono<Change> set(String userId, String connectionId, String status, String audience) {
		return change(userId, connectionId, status, audience);
	}

	@Override
	public Mono<Change> remove(String userId, String connectionId) {
		return change(userId, connectionId, "", "");
	}

	private Mono<Change> change(String userId, String connectionId, String status, String audience) {
		return this.changes.submit(new Request(userId, connectionId, status, audience));
	}

	/**
	 * One script call for a batch of changes (one slot on a cluster: every key is
	 * tagged).
	 */
	private Mono<List<Change>> apply(List<Request> batch) {
		String[] keys = new String[5 + batch.size()];
		keys[0] = this.onlineKey;
		keys[1] = this.sequenceKey;
		keys[2] = this.nodeKey;
		keys[3] = this.audienceKey;
		keys[4] = this.sizesKey;
		String[] args = new String[3 + 4 * batch.size()];
		args[0] = this.node;
		args[1] = this.nodePrefix;
		args[2] = String.valueOf(this.ttlMillis);
		for (int i = 0; i < batch.size(); i++) {
			Request r = batch.get(i);
			keys[5 + i] = this.userPrefix + r.userId;
			args[3 + 4 * i] = r.connectionId;
			args[4 + 4 * i] = r.status;
			args[5 + 4 * i] = r.userId;
			args[6 + 4 * i] = r.audience;
		}
		return CHANGES.run(this.redis, keys, args).map((result) -> {
			List<Change> changes = new ArrayList<>(batch.size());
			for (int i = 0; i + 2 < result.size(); i += 3) {
				changes.add(new Change(batch.get(i / 3).userId, String.valueOf(result.get(i)),
						String.valueOf(result.get(i + 1)), String.valueOf(result.get(i + 2))));
			}
			return changes;
		});
	}

	private record Request(String userId, String connectionId, String status, String audience) {

	}

	@Override
	public Mono<Void> refresh() {
		return this.redis.set(this.nodeKey, "1", SetArgs.Builder.px(this.ttlMillis)).then();
	}

	@Override
	public Mono<List<Change>> sweep() {
		List<Change> changes = new ArrayList<>();
		return pass(SWEEP, new String[] { this.onlineKey, this.sweepKey, this.audienceKey, this.sizesKey }, 3,
				(row) -> changes.add(new Change(row.get(0), row.get(1), "offline", row.get(2))), this.userPrefix,
				this.nodePrefix, String.valueOf(this.ttlMillis))
			.thenReturn(changes);
	}

	/**
	 * A pass over the online users, a batch per script call ({@code script} takes
	 * {@code args}, then the cursor and the batch size, and returns the next cursor, then
	 * rows of {@code width} values).
	 * @param row takes each row the script returned, in order
	 */
	private Mono<Void> pass(LuaScript script, String[] keys, int width, Consumer<List<String>> row, String... args) {
		return passFrom("0", script, keys, width, row, args);
	}

	private Mono<Void> passFrom(String cursor, LuaScript script, String[] keys, int width, Consumer<List<String>> row,
			String[] args) {
		String[] argv = Arrays.copyOf(args, args.length + 2);
		argv[args.length] = cursor;
		argv[args.length + 1] = String.valueOf(SWEEP_BATCH);
		return script.run(this.redis, keys, argv)
			.filter((result) -> !result.isEmpty())
			.defaultIfEmpty(List.of("0"))
			.flatMap((result) -> {
				for (int i = 1; i + width - 1 < result.size(); i += width) {
					List<String> values = new ArrayList<>(width);
					for (int j = 0; j < width; j++) {
						values.add(String.valueOf(result.get(i + j)));
					}
					row.accept(values);
				}
				String next = String.valueOf(result.get(0));
				return "0".equals(next) ? Mono.empty() : passFrom(next, script, keys, width, row, args);
			});
	}

	@Override
	public Mono<String> status(String userId) {
		return STATUS.run(this.redis, new String[] { this.userPrefix + userId }, this.nodePrefix)
			.filter((result) -> !result.isEmpty())
			.map((result) -> String.valueOf(result.get(0)))
			.defaultIfEmpty("offline");
	}

	@Override
	public Mono<Map<String, Long>> audienceSizes(java.util.Collection<String> channels) {
		if (channels.isEmpty()) {
			return Mono.just(Map.of());
		}
		return this.redis.hmget(this.sizesKey, channels.toArray(String[]::new))
			.collectMap((value) -> value.getKey(), (value) -> value.hasValue() ? Long.parseLong(value.getValue()) : 0L);
	}

	@Override
	public Mono<Map<String, String>> online() {
		Map<String, String> online = new TreeMap<>();
		return pass(ONLINE, new String[] { this.onlineKey }, 2, (row) -> online.put(row.get(0), row.get(1)),
				this.userPrefix, this.nodePrefix)
			.thenReturn(online);
	}

}
