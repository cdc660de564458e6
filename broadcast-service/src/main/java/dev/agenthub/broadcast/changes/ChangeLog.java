package dev.agenthub.broadcast.changes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.agenthub.broadcast.log.ChannelFilter;
import dev.agenthub.broadcast.log.LogClock;
import dev.agenthub.contracts.codec.HubJson;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code hub_change} table: the entity change log, on PostgreSQL and H2.
 * <p>
 * Guarantee: {@link #record} takes the row lock of {@code hub_change_clock} for its
 * transaction and stamps the change with {@code max(now, previous + 1 µs)}, so timestamps
 * are unique and increase in commit order. A reader that saw every change up to timestamp
 * {@code T} will find every later-committed change after {@code T}: reading
 * {@code ts > since} never skips a change that was committed late, whatever the writers'
 * clocks say.
 */
@Repository
public class ChangeLog {

	private final ConnectionFactory connectionFactory;

	private final DatabaseClient client;

	private final boolean postgres;

	public ChangeLog(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.client = DatabaseClient.create(connectionFactory);
		this.postgres = connectionFactory.getMetadata().getName().toLowerCase().contains("postgres");
	}

	/**
	 * Records a change in the log's order.
	 * @param change the validated change
	 * @return the change as logged, with its timestamp
	 */
	public Mono<EntityChange> record(EntityChange.Request change) {
		return Mono.usingWhen(
				Mono.from(this.connectionFactory.create()), (
						connection) -> Mono.from(connection.beginTransaction())
							.then(Flux
								.from(connection
									.createStatement(
											"SELECT last_seq, last_ts FROM hub_change_clock WHERE id = 1 FOR UPDATE")
									.execute())
								.flatMap((result) -> result.map((row) -> new Clock(row.get("last_seq", Long.class),
										row.get("last_ts", OffsetDateTime.class).toInstant())))
								.single())
							.flatMap((clock) -> write(connection, clock.next(), change))
							.flatMap((logged) -> Mono.from(connection.commitTransaction()).thenReturn(logged)),
				Connection::close, (connection, error) -> rollbackAndClose(connection), ChangeLog::rollbackAndClose);
	}

	private Mono<EntityChange> write(Connection connection, Clock next, EntityChange.Request change) {
		OffsetDateTime ts = OffsetDateTime.ofInstant(next.timestamp(), ZoneOffset.UTC);
		Statement advance = connection
			.createStatement("UPDATE hub_change_clock SET last_seq = $1, last_ts = $2 WHERE id = 1")
			.bind("$1", next.seq())
			.bind("$2", ts);
		String json = this.postgres ? "CAST($8 AS JSONB)" : "$8";
		Statement insert = connection
			.createStatement("INSERT INTO hub_change (seq, ts, channel, event, tbl, record_id, action, data)"
					+ " VALUES ($1, $2, $3, $4, $5, $6, $7, " + json + ")")
			.bind("$1", next.seq())
			.bind("$2", ts)
			.bind("$3", change.channel())
			.bind("$4", change.event())
			.bind("$5", change.table())
			.bind("$6", change.recordId())
			.bind("$7", change.action());
		insert = (change.data() != null) ? insert.bind("$8", HubJson.write(change.data()))
				: insert.bindNull("$8", String.class);
		return Flux.from(advance.execute())
			.flatMap((result) -> Mono.from(result.getRowsUpdated()))
			.thenMany(Flux.from(insert.execute()).flatMap((result) -> Mono.from(result.getRowsUpdated())))
			.then(Mono.fromSupplier(() -> change.at(next.timestamp())));
	}

	/**
	 * Changes after {@code since} on the given channels, in log order.
	 * @param since the previous sync's {@code syncTimestamp} (or any time)
	 * @param channels which channels the reader may see
	 * @param limit page size
	 */
	public Flux<EntityChange> findSince(Instant since, ChannelFilter channels, int limit) {
		if (channels.isEmpty()) {
			return Flux.empty();
		}
		String data = this.postgres ? "data::text" : "data";
		DatabaseClient.GenericExecuteSpec spec = this.client
			.sql("SELECT ts, channel, event, tbl, record_id, action, " + data
					+ " AS data FROM hub_change WHERE ts > :ts" + channels.condition("channel")
					+ " ORDER BY ts LIMIT :limit")
			.bind("ts", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
			.bind("limit", limit);
		return channels.bind(spec).map(ChangeLog::toChange).all();
	}

	/** Deletes changes logged before a time; returns how many. */
	public Mono<Long> deleteBefore(Instant cutoff) {
		return this.client.sql("DELETE FROM hub_change WHERE ts < :cutoff")
			.bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
			.fetch()
			.rowsUpdated();
	}

	private static EntityChange toChange(Readable row) {
		String data = row.get("data", String.class);
		return new EntityChange(row.get("tbl", String.class), row.get("record_id", String.class),
				row.get("action", String.class), (data != null) ? HubJson.parse(data) : null,
				row.get("ts", OffsetDateTime.class).toInstant().toString(), row.get("channel", String.class),
				row.get("event", String.class));
	}

	private static Mono<Void> rollbackAndClose(Connection connection) {
		return Mono.from(connection.rollbackTransaction())
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.from(connection.close()));
	}

	/** The log's clock: the last sequence number and timestamp handed out. */
	private record Clock(long seq, Instant timestamp) {

		/** The next position: now, or just after the last one if the clock is behind. */
		Clock next() {
			return new Clock(this.seq + 1, LogClock.next(this.timestamp, this.timestamp));
		}

	}

}
