package dev.agenthub.broadcast.log;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code hub_event} table. Inserts are idempotent on (channel, epoch, offset), so a
 * replayed log entry is written once. Works on PostgreSQL ({@code json}: the data as
 * published, a NUL character included) and H2.
 */
@Repository
public class EventLogRepository {

	private static final String COLUMNS = "channel, epoch, ch_offset, type, %s AS data, ts";

	private final DatabaseClient client;

	private final ConnectionFactory connectionFactory;

	private final boolean postgres;

	public EventLogRepository(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.client = DatabaseClient.create(connectionFactory);
		this.postgres = connectionFactory.getMetadata().getName().toLowerCase().contains("postgres");
	}

	/**
	 * Writes events in one transaction, skipping any already logged; returns how many
	 * were new. The transaction takes the log clock's row lock ({@code hub_event_clock})
	 * and stamps the rows' {@code logged_at} after the previous batch's, in the batch's
	 * order and no earlier than the rows' own time ({@link LogClock}): {@code logged_at}
	 * increases in commit order, the timestamp sync's position.
	 */
	public Mono<Long> insert(Collection<HubEvent> events) {
		if (events.isEmpty()) {
			return Mono.just(0L);
		}
		return Mono.usingWhen(Mono.from(this.connectionFactory.create()),
				(connection) -> Mono.from(connection.beginTransaction())
					.then(this.postgres ? Mono.just(unnest(connection, events)) : rows(connection, events))
					// One transaction (one WAL flush) per batch.
					.flatMap((statement) -> Flux.from(statement.execute())
						.flatMap((result) -> Mono.from(result.getRowsUpdated()))
						.reduce(0L, Long::sum))
					.flatMap((inserted) -> Mono.from(connection.commitTransaction()).thenReturn(inserted)),
				Connection::close, (connection, error) -> rollbackAndClose(connection),
				EventLogRepository::rollbackAndClose);
	}

	/**
	 * PostgreSQL: the whole batch as one row of arrays, one bind and one execution, the
	 * clock advanced in the same statement. A statement with a binding per row costs a
	 * Bind/Execute exchange per row, which made the log writer the hub's busiest thread
	 * at a few thousand events a second.
	 */
	private static Statement unnest(Connection connection, Collection<HubEvent> events) {
		int n = events.size();
		String[] channels = new String[n];
		String[] epochs = new String[n];
		Long[] offsets = new Long[n];
		String[] types = new String[n];
		String[] data = new String[n];
		Long[] millis = new Long[n];
		long newest = Long.MIN_VALUE;
		int i = 0;
		for (HubEvent event : events) {
			channels[i] = event.channel();
			epochs[i] = event.epoch();
			offsets[i] = event.offset();
			types[i] = event.type();
			data[i] = HubJson.write(event.data());
			millis[i] = event.timestamp().toEpochMilli();
			newest = Math.max(newest, millis[i]);
			i++;
		}
		// The clock's row (LogClock's rule in SQL): row k of n is stamped
		// max(now, last + 1 µs, the newest row's time) + (k - 1) µs; the update's row
		// lock lasts until the transaction commits.
		return connection
			.createStatement("WITH clock AS (UPDATE hub_event_clock SET last_ts ="
					+ " GREATEST(clock_timestamp(), last_ts + INTERVAL '1 microsecond',"
					+ " TIMESTAMPTZ 'epoch' + $8 * INTERVAL '1 millisecond') + ($7 - 1) * INTERVAL '1 microsecond'"
					+ " WHERE id = 1 RETURNING last_ts)"
					+ " INSERT INTO hub_event (channel, epoch, ch_offset, type, data, ts, logged_at)"
					+ " SELECT c, e, o, t, CAST(d AS JSON), TIMESTAMPTZ 'epoch' + m * INTERVAL '1 millisecond',"
					+ " clock.last_ts - ($7 - k) * INTERVAL '1 microsecond'"
					+ " FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::int8[])"
					+ " WITH ORDINALITY AS batch(c, e, o, t, d, m, k) CROSS JOIN clock ON CONFLICT DO NOTHING")
			.bind("$1", channels)
			.bind("$2", epochs)
			.bind("$3", offsets)
			.bind("$4", types)
			.bind("$5", data)
			.bind("$6", millis)
			.bind("$7", (long) n)
			.bind("$8", newest);
	}

	/**
	 * Other databases (the embedded H2): the clock read under its row lock and advanced
	 * here, then one binding per row.
	 */
	private static Mono<Statement> rows(Connection connection, Collection<HubEvent> events) {
		Instant newest = events.stream().map(HubEvent::timestamp).max(Instant::compareTo).orElseThrow();
		return Flux
			.from(connection.createStatement("SELECT last_ts FROM hub_event_clock WHERE id = 1 FOR UPDATE").execute())
			.flatMap((result) -> result.map((row) -> row.get("last_ts", OffsetDateTime.class).toInstant()))
			.single()
			.flatMap((last) -> {
				Instant first = LogClock.next(last, newest);
				Instant end = first.plus(events.size() - 1, LogClock.STEP);
				Statement advance = connection.createStatement("UPDATE hub_event_clock SET last_ts = $1 WHERE id = 1")
					.bind("$1", OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
				Statement insert = connection
					.createStatement("INSERT INTO hub_event (channel, epoch, ch_offset, type, data, ts, logged_at)"
							+ " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING");
				int i = 0;
				for (HubEvent event : events) {
					if (i > 0) {
						insert.add();
					}
					insert.bind("$1", event.channel())
						.bind("$2", event.epoch())
						.bind("$3", event.offset())
						.bind("$4", event.type())
						.bind("$5", HubJson.write(event.data()))
						.bind("$6", OffsetDateTime.ofInstant(event.timestamp(), ZoneOffset.UTC))
						.bind("$7", OffsetDateTime.ofInstant(first.plus(i, LogClock.STEP), ZoneOffset.UTC));
					i++;
				}
				return Flux.from(advance.execute())
					.flatMap((result) -> Mono.from(result.getRowsUpdated()))
					.then(Mono.just(insert));
			});
	}

	private static Mono<Void> rollbackAndClose(Connection connection) {
		return Mono.from(connection.rollbackTransaction())
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.from(connection.close()));
	}

	/** Events of a channel's epoch after an offset, in offset order. */
	public Flux<HubEvent> findAfter(String channel, String epoch, long since, int limit) {
		return this.client
			.sql("SELECT " + columns() + " FROM hub_event WHERE channel = :channel AND epoch = :epoch"
					+ " AND ch_offset > :since ORDER BY ch_offset LIMIT :limit")
			.bind("channel", channel)
			.bind("epoch", epoch)
			.bind("since", since)
			.bind("limit", limit)
			.map(EventLogRepository::toEvent)
			.all();
	}

	/**
	 * A page of a channel's epoch after an offset, in offset order: at most {@code limit}
	 * events and {@code maxBytes} of event data (the first event whatever its size). The
	 * database computes the running size and sends the events up to the first one past
	 * either bound, no more, so a page never reads much more than {@code maxBytes},
	 * whatever {@code limit} asks for.
	 * @param channel the channel
	 * @param epoch the epoch
	 * @param since the offset after which to read
	 * @param limit most events in the page
	 * @param maxBytes most bytes of event data (as logged) in the page
	 */
	public Mono<Page> findPage(String channel, String epoch, long since, int limit, long maxBytes) {
		String size = this.postgres ? "octet_length(data::text)" : "OCTET_LENGTH(data)";
		// The first two rows always: the first is served whatever its size, the second
		// tells whether more follow.
		return this.client.sql("SELECT channel, epoch, ch_offset, type, data, ts, upto FROM (SELECT " + columns()
				+ ", CAST(SUM(" + size + ") OVER (ORDER BY ch_offset) AS BIGINT) AS upto, " + size + " AS bytes,"
				+ " ROW_NUMBER() OVER (ORDER BY ch_offset) AS n FROM hub_event"
				+ " WHERE channel = :channel AND epoch = :epoch AND ch_offset > :since"
				+ " ORDER BY ch_offset LIMIT :rows) page WHERE n <= 2 OR upto - bytes <= :budget ORDER BY ch_offset")
			.bind("channel", channel)
			.bind("epoch", epoch)
			.bind("since", since)
			.bind("rows", limit + 1)
			.bind("budget", maxBytes)
			.map((row) -> new Sized(toEvent(row), row.get("upto", Long.class)))
			.all()
			.collectList()
			.map((rows) -> {
				int kept = kept(rows.stream().mapToLong(Sized::upto).toArray(), limit, maxBytes);
				return new Page(rows.subList(0, kept).stream().map(Sized::event).toList(), kept < rows.size());
			});
	}

	/**
	 * Events logged after a position in the log's commit order ({@code logged_at}, row
	 * id), on the channels a reader may see, oldest first: the timestamp sync protocol's
	 * query. At most {@code limit} events and {@code maxBytes} of event data (the first
	 * event whatever its size), as {@link #findPage}: a page of large events (a
	 * terminal's output) stays within what a reader can take, the next page follows its
	 * cursor. Reading after the last event's stamp never repeats it and never skips an
	 * event committed later: later commits are stamped later ({@link #insert}).
	 * @param after the position after which to read: {@link SyncPosition#after} the
	 * {@code since} time for a first page, the last event's position for the next ones
	 * @param channels which channels: exact names, prefixes, or all (for admins)
	 * @param limit page size
	 * @param maxBytes most bytes of event data (as logged) in the page
	 * @return the page's events, and whether more follow
	 */
	public Mono<SyncRows> findSince(SyncPosition after, ChannelFilter channels, int limit, long maxBytes) {
		if (channels.isEmpty()) {
			return Mono.just(new SyncRows(java.util.List.of(), false));
		}
		String size = this.postgres ? "octet_length(data::text)" : "OCTET_LENGTH(data)";
		String where = "(logged_at > :ts OR (logged_at = :ts AND id > :id))" + channels.condition("channel");
		// The first two rows always: the first is served whatever its size, the second
		// tells whether more follow.
		DatabaseClient.GenericExecuteSpec spec = this.client
			.sql("SELECT id, logged_at, channel, epoch, ch_offset, type, data, ts, upto FROM (SELECT id, logged_at, "
					+ columns() + ", CAST(SUM(" + size + ") OVER (ORDER BY logged_at, id) AS BIGINT) AS upto, " + size
					+ " AS bytes, ROW_NUMBER() OVER (ORDER BY logged_at, id) AS n FROM hub_event WHERE " + where
					+ " ORDER BY logged_at, id LIMIT :rows) page WHERE n <= 2 OR upto - bytes <= :budget"
					+ " ORDER BY logged_at, id")
			.bind("ts", OffsetDateTime.ofInstant(after.timestamp(), ZoneOffset.UTC))
			.bind("id", after.id())
			.bind("rows", limit + 1)
			.bind("budget", maxBytes);
		spec = channels.bind(spec);
		return spec
			.map((row) -> new SizedRow(new LoggedEvent(
					new SyncPosition(row.get("logged_at", OffsetDateTime.class).toInstant(), row.get("id", Long.class)),
					toEvent(row)), row.get("upto", Long.class)))
			.all()
			.collectList()
			.map((rows) -> {
				int kept = kept(rows.stream().mapToLong(SizedRow::upto).toArray(), limit, maxBytes);
				return new SyncRows(rows.subList(0, kept).stream().map(SizedRow::event).toList(), kept < rows.size());
			});
	}

	/**
	 * How many of a page's rows to serve: at most {@code limit}, the first whatever its
	 * size, then while the running size ({@code upto}) stays within {@code maxBytes}.
	 */
	private static int kept(long[] upto, int limit, long maxBytes) {
		int kept = 0;
		while (kept < upto.length && kept < limit && (kept == 0 || upto[kept] <= maxBytes)) {
			kept++;
		}
		return kept;
	}

	/**
	 * A page of the timestamp sync.
	 *
	 * @param events the events, oldest first
	 * @param hasMore whether more events follow the last one
	 */
	public record SyncRows(java.util.List<LoggedEvent> events, boolean hasMore) {

	}

	private record SizedRow(LoggedEvent event, long upto) {

	}

	/** Deletes events logged before a time; returns how many. */
	public Mono<Long> deleteBefore(Instant cutoff) {
		return this.client.sql("DELETE FROM hub_event WHERE ts < :cutoff")
			.bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
			.fetch()
			.rowsUpdated();
	}

	private String columns() {
		return String.format(COLUMNS, this.postgres ? "data::text" : "data");
	}

	private static HubEvent toEvent(Readable row) {
		OffsetDateTime ts = row.get("ts", OffsetDateTime.class);
		return new HubEvent(row.get("type", String.class), row.get("channel", String.class),
				row.get("ch_offset", Long.class), row.get("epoch", String.class),
				HubJson.parse(row.get("data", String.class)), ts.toInstant());
	}

	/**
	 * A position in the log's commit order: ({@code logged_at}, row id).
	 *
	 * @param timestamp the log clock's stamp
	 * @param id the row id; {@link #AFTER} after every row of that stamp
	 */
	public record SyncPosition(Instant timestamp, long id) {

		/** The row id after every row. */
		public static final long AFTER = Long.MAX_VALUE;

		/**
		 * Just after every event stamped up to a time: where a sync {@code since} it
		 * starts.
		 */
		public static SyncPosition after(Instant since) {
			return new SyncPosition(since, AFTER);
		}

	}

	/**
	 * A page of a channel's log.
	 *
	 * @param events the events, oldest first
	 * @param hasMore whether more events follow the last one
	 */
	public record Page(java.util.List<HubEvent> events, boolean hasMore) {

	}

	/** An event and the bytes of event data up to and including it. */
	private record Sized(HubEvent event, long upto) {

	}

	/**
	 * An event with its place in the log (the sync protocol's {@code syncTimestamp} and
	 * page cursor).
	 *
	 * @param position its log clock stamp and row id
	 * @param event the event
	 */
	public record LoggedEvent(SyncPosition position, HubEvent event) {

	}

}
