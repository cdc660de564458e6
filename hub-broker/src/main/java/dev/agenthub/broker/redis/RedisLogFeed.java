package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link LogFeed} on the Redis log stream every publish appends to, read through a
 * consumer group: first this consumer's pending (delivered, unacknowledged) entries, then
 * entries idle too long at other consumers of the group (a consumer that died), then new
 * ones with a blocking read. Needs its own connection: the blocking read holds it.
 */
public class RedisLogFeed implements LogFeed {

	private static final Logger logger = LoggerFactory.getLogger(RedisLogFeed.class);

	private static final int BATCH = 256;

	private static final Duration BLOCK = Duration.ofSeconds(1);

	private static final Duration CLAIM_IDLE = Duration.ofSeconds(30);

	private final RedisReactiveCommands<String, String> blocking;

	private final RedisReactiveCommands<String, String> commands;

	private final String logKey;

	/**
	 * @param blockingConnection a connection only this feed uses (blocking reads)
	 * @param connection a shared connection for acknowledgements and group management
	 * @param options the engine's settings (key prefix)
	 */
	public RedisLogFeed(StatefulRedisConnection<String, String> blockingConnection,
			StatefulRedisConnection<String, String> connection, RedisBrokerOptions options) {
		this.blocking = blockingConnection.reactive();
		this.commands = connection.reactive();
		this.logKey = options.logKey();
	}

	@Override
	public Flux<LogEntry> consume(String group, String consumer) {
		Consumer<String> me = Consumer.from(group, consumer);
		// Pending entries are read page by page from the last id seen: they stay pending
		// until acknowledged, so reading from "0" again would return them again.
		Flux<LogEntry> pending = readBatch(me, "0")
			.expand((batch) -> batch.isEmpty() ? Mono.empty() : readBatch(me, batch.get(batch.size() - 1).id()))
			.takeWhile((batch) -> !batch.isEmpty())
			.concatMapIterable((batch) -> batch);
		Flux<LogEntry> claimed = this.commands
			.xautoclaim(this.logKey, XAutoClaimArgs.Builder.xautoclaim(me, CLAIM_IDLE, "0-0").count(BATCH))
			.flatMapIterable((claim) -> toEntries(claim.getMessages()));
		Flux<LogEntry> fresh = Flux.defer(() -> readBatch(me, ">")).repeat().concatMapIterable((batch) -> batch);
		return createGroup(group).thenMany(Flux.concat(pending, claimed, fresh));
	}

	@Override
	public Mono<Void> ack(String group, Iterable<LogEntry> entries) {
		List<String> ids = new ArrayList<>();
		entries.forEach((entry) -> ids.add(entry.id()));
		if (ids.isEmpty()) {
			return Mono.empty();
		}
		return this.commands.xack(this.logKey, group, ids.toArray(String[]::new)).then();
	}

	private Mono<Void> createGroup(String group) {
		// From "0": a group made after events were published still gets every retained
		// one.
		return this.commands
			.xgroupCreate(XReadArgs.StreamOffset.from(this.logKey, "0"), group, XGroupCreateArgs.Builder.mkstream())
			.then()
			.onErrorResume(RedisBusyException.class, (ex) -> Mono.empty())
			.doOnError((ex) -> logger.warn("Could not create consumer group {}: {}", group, ex.toString()));
	}

	private Mono<List<LogEntry>> readBatch(Consumer<String> me, String offset) {
		XReadArgs args = XReadArgs.Builder.count(BATCH);
		if (">".equals(offset)) {
			args.block(BLOCK);
		}
		return this.blocking.xreadgroup(me, args, XReadArgs.StreamOffset.from(this.logKey, offset))
			.collectList()
			.map(this::toEntries);
	}

	private List<LogEntry> toEntries(List<StreamMessage<String, String>> messages) {
		List<LogEntry> entries = new ArrayList<>(messages.size());
		for (StreamMessage<String, String> message : messages) {
			String json = message.getBody().get("e");
			if (json == null) {
				// A pending entry that was trimmed from the stream: nothing left to log.
				continue;
			}
			entries.add(new LogEntry(message.getId(), new Publication(HubJson.decodeEvent(json), json)));
		}
		return entries;
	}

}
