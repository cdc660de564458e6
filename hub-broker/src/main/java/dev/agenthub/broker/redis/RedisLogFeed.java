package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.broker.LogFeed;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link LogFeed} on the Redis log streams every publish appends to (one on a single
 * Redis, one per partition on a cluster), each read through the same consumer group. Per
 * stream: first this consumer's pending (delivered, unacknowledged) entries, then new
 * ones; between reads, entries idle longer than {@code claimIdle} at other consumers of
 * the group (a replica that died) are claimed, so a live consumer finishes what a dead
 * one left. A channel's entries are in one stream and read in order.
 * <p>
 * On a single Redis new entries are awaited with a blocking read, which needs a
 * connection of its own; on a cluster every partition is polled (a blocking read would
 * hold the node connection that the other partitions of that node share).
 */
public class RedisLogFeed implements LogFeed {

	private static final Logger logger = LoggerFactory.getLogger(RedisLogFeed.class);

	private static final int BATCH = 256;

	private static final Duration BLOCK = Duration.ofSeconds(1);

	private static final Duration POLL = Duration.ofMillis(100);

	/**
	 * How long entries gather after a read that found fewer than a batch. A blocking read
	 * returns as soon as one entry is there: without the pause, a steady stream of
	 * publishes costs one read — a Redis call, a reply to decode, a wake-up of the
	 * client's event loop — per event, on the same cores as the events' delivery
	 * (docs/benchmarks.md, twenty-first pass). The log writer batches for as long.
	 */
	static final Duration PACE = Duration.ofMillis(20);

	/** Default idle time after which another consumer's pending entries are claimed. */
	public static final Duration CLAIM_IDLE = Duration.ofSeconds(30);

	private final RedisClusterReactiveCommands<String, String> reader;

	private final RedisClusterReactiveCommands<String, String> commands;

	private final List<String> streams;

	private final Map<String, Integer> partitionOf = new HashMap<>();

	private final boolean blockingReads;

	private final Duration claimIdle;

	/**
	 * A feed on one Redis.
	 * @param blockingConnection a connection only this feed uses (blocking reads)
	 * @param connection a shared connection for acknowledgements and group management
	 * @param options the engine's settings (key prefix)
	 * @param claimIdle how long another consumer's entry stays pending before this one
	 * takes it over
	 */
	public RedisLogFeed(StatefulRedisConnection<String, String> blockingConnection,
			StatefulRedisConnection<String, String> connection, RedisBrokerOptions options, Duration claimIdle) {
		this(blockingConnection.reactive(), connection.reactive(), options.layout().logs(), true, claimIdle);
	}

	/** A feed on one Redis that claims entries idle for {@link #CLAIM_IDLE}. */
	public RedisLogFeed(StatefulRedisConnection<String, String> blockingConnection,
			StatefulRedisConnection<String, String> connection, RedisBrokerOptions options) {
		this(blockingConnection, connection, options, CLAIM_IDLE);
	}

	/**
	 * A feed on a Redis Cluster, over every partition's log stream.
	 * @param connection a cluster connection (no blocking commands are sent)
	 * @param options the engine's settings, with partitions
	 * @param claimIdle how long another consumer's entry stays pending before this one
	 * takes it over
	 */
	public RedisLogFeed(StatefulRedisClusterConnection<String, String> connection, RedisBrokerOptions options,
			Duration claimIdle) {
		this(connection.reactive(), connection.reactive(), options.layout().logs(), false, claimIdle);
	}

	private RedisLogFeed(RedisClusterReactiveCommands<String, String> reader,
			RedisClusterReactiveCommands<String, String> commands, List<String> streams, boolean blockingReads,
			Duration claimIdle) {
		this.reader = reader;
		this.commands = commands;
		this.streams = streams;
		this.blockingReads = blockingReads;
		this.claimIdle = claimIdle;
		for (int i = 0; i < streams.size(); i++) {
			this.partitionOf.put(streams.get(i), i);
		}
	}

	@Override
	public Flux<LogEntry> consume(String group, String consumer) {
		Consumer<String> me = Consumer.from(group, consumer);
		return Flux.fromIterable(this.streams)
			.flatMap((stream) -> createGroup(stream, group).thenMany(consumeStream(stream, me)), this.streams.size(),
					1);
	}

	private Flux<LogEntry> consumeStream(String stream, Consumer<String> me) {
		// Pending entries are read page by page from the last id seen: they stay pending
		// until acknowledged, so reading from "0" again would return them again.
		Flux<LogEntry> pending = readBatch(stream, me, "0")
			.expand((batch) -> batch.isEmpty() ? Mono.empty()
					: readBatch(stream, me, streamId(batch.get(batch.size() - 1).id())))
			.takeWhile((batch) -> !batch.isEmpty())
			.concatMapIterable((batch) -> batch);
		long[] nextClaim = { 0 };
		Flux<LogEntry> fresh = Flux
			.defer(() -> claimNow(nextClaim) ? claim(stream, me, nextClaim) : Mono.just(List.<LogEntry>of()))
			.flatMap((claimed) -> claimed.isEmpty() ? readBatch(stream, me, ">").flatMapMany(this::thenPause)
					: Mono.just(claimed))
			.repeat()
			.concatMapIterable((batch) -> batch);
		return pending.concatWith(fresh);
	}

	// Looks for a dead consumer's entries twice per claimIdle, and right away while it
	// finds some.
	private boolean claimNow(long[] nextClaim) {
		long now = System.nanoTime();
		if (now - nextClaim[0] < 0) {
			return false;
		}
		nextClaim[0] = now + this.claimIdle.toNanos() / 2;
		return true;
	}

	/** A batch at once, then the wait before the next read (none after a full batch). */
	private Flux<List<LogEntry>> thenPause(List<LogEntry> batch) {
		Duration pause;
		if (batch.isEmpty()) {
			// a blocking read already waited; polling (cluster) waits a little before
			// asking an idle partition again
			pause = this.blockingReads ? Duration.ZERO : POLL;
		}
		else {
			pause = (batch.size() < BATCH) ? PACE : Duration.ZERO;
		}
		Mono<List<LogEntry>> now = Mono.just(batch);
		return pause.isZero() ? now.flux() : now.concatWith(Mono.delay(pause).then(Mono.empty()));
	}

	private Mono<List<LogEntry>> claim(String stream, Consumer<String> me, long[] nextClaim) {
		return this.commands
			.xautoclaim(stream, XAutoClaimArgs.Builder.xautoclaim(me, this.claimIdle, "0-0").count(BATCH))
			.map((claim) -> toEntries(stream, claim.getMessages()))
			.doOnNext((claimed) -> {
				if (!claimed.isEmpty()) {
					nextClaim[0] = System.nanoTime();
					logger.info("Claimed {} log entries of {} left pending by another consumer", claimed.size(),
							stream);
				}
			})
			.defaultIfEmpty(List.of());
	}

	@Override
	public Mono<Void> ack(String group, Iterable<LogEntry> entries) {
		Map<String, List<String>> idsByStream = new LinkedHashMap<>();
		entries.forEach((entry) -> idsByStream.computeIfAbsent(stream(entry.id()), (key) -> new ArrayList<>())
			.add(streamId(entry.id())));
		return Flux.fromIterable(idsByStream.entrySet())
			.flatMap((ids) -> this.commands.xack(ids.getKey(), group, ids.getValue().toArray(String[]::new)))
			.then();
	}

	private Mono<Void> createGroup(String stream, String group) {
		// From "0": a group made after events were published still gets every retained
		// one.
		return this.commands
			.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream())
			.then()
			.onErrorResume(RedisBusyException.class, (ex) -> Mono.empty())
			.doOnError(
					(ex) -> logger.warn("Could not create consumer group {} on {}: {}", group, stream, ex.toString()));
	}

	private Mono<List<LogEntry>> readBatch(String stream, Consumer<String> me, String offset) {
		XReadArgs args = XReadArgs.Builder.count(BATCH);
		if (">".equals(offset) && this.blockingReads) {
			args.block(BLOCK);
		}
		return this.reader.xreadgroup(me, args, XReadArgs.StreamOffset.from(stream, offset))
			.collectList()
			.map((messages) -> toEntries(stream, messages));
	}

	private List<LogEntry> toEntries(String stream, List<StreamMessage<String, String>> messages) {
		List<LogEntry> entries = new ArrayList<>(messages.size());
		for (StreamMessage<String, String> message : messages) {
			String json = message.getBody().get("e");
			if (json == null) {
				// A pending entry that was trimmed from the stream: nothing left to log.
				continue;
			}
			entries
				.add(new LogEntry(entryId(stream, message.getId()), new Publication(HubJson.decodeEvent(json), json)));
		}
		return entries;
	}

	// An entry's id names its stream when there are several: "<partition>/<stream id>".
	private String entryId(String stream, String id) {
		return (this.streams.size() == 1) ? id : this.partitionOf.get(stream) + "/" + id;
	}

	private String stream(String entryId) {
		int slash = entryId.indexOf('/');
		return (slash < 0) ? this.streams.get(0) : this.streams.get(Integer.parseInt(entryId.substring(0, slash)));
	}

	private static String streamId(String entryId) {
		return entryId.substring(entryId.indexOf('/') + 1);
	}

}
