package dev.agenthub.broadcast.sync;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.broadcast.changes.ChangeLog;
import dev.agenthub.broadcast.changes.EntityChange;
import dev.agenthub.broadcast.log.EventLogRepository;
import dev.agenthub.broadcast.log.ChannelFilter;
import dev.agenthub.broadcast.log.EventLogRepository.LoggedEvent;
import dev.agenthub.broadcast.log.EventLogRepository.SyncPosition;
import dev.agenthub.broadcast.log.EventLogRepository.SyncRows;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/sync?since=<ISO-8601>&channels=a,b,workspace:&cursor=&limit=} (service
 * or admin token; the gateway asks on behalf of a user and names the channels that user
 * may see): the logged events after {@code since} on those channels, oldest first, at
 * most {@code limit} (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) and
 * {@code maxBytes} of event data (at most and by default {@value #MAX_PAGE_BYTES}; the
 * gateway asks for what fits its client's outbound bound). {@code channels} holds exact
 * names, prefixes ending in {@code :} (e.g. {@code workspace:} for a user who sees every
 * workspace), names read only from a time on
 * ({@code client:desktop-1~2026-12-07T18:00:00Z}) or {@code *} for all. When
 * {@code hasMore}, the same request with {@code cursor} reads the next page. "After
 * {@code since}" is in the log's commit order: each event is stamped when its batch is
 * logged ({@code logged_at}, never earlier than the event's own time, strictly increasing
 * in commit order), and {@code syncTimestamp} is the newest returned event's stamp (or
 * {@code since} when none): the {@code since} of the next sync, which then neither
 * repeats that event nor skips one logged late. A {@code since} taken from an event's own
 * time misses nothing published after it (events published just before it but logged
 * after may come again).
 * <p>
 * With {@code kind=changes} it reads seed 003's entity change log instead
 * ({@code POST /api/changes}): {@code changes: [{table, recordId, action, data,
 * timestamp, channel, event}]}, whose timestamps follow the log's commit order (see
 * {@link ChangeLog}).
 */
@RestController
class SyncController {

	static final int DEFAULT_LIMIT = 500;

	static final int MAX_LIMIT = 1000;

	/**
	 * Most bytes of event data in a page (the first event whatever its size), as the
	 * history's pages: 500 events of a terminal's output (60 KB each) made a 26 MB page,
	 * more than the gateway takes, and the sync failed at that point for good.
	 */
	static final long MAX_PAGE_BYTES = 4 * 1024 * 1024;

	/**
	 * After a channel's name in {@code channels}: read it only from this time on
	 * ({@code client:desktop-1~2026-12-07T18:00:00Z}; the gateway names a client id's
	 * channel so, from when its holder's claim began).
	 */
	static final String SINCE = "~";

	/** Channels read from a time on, at most, in one request. */
	static final int MAX_BOUNDED = 8;

	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

	private final EventLogRepository repository;

	private final ChangeLog changes;

	SyncController(EventLogRepository repository, ChangeLog changes) {
		this.repository = repository;
		this.changes = changes;
	}

	@GetMapping("/api/sync")
	Mono<?> sync(@RequestParam String since, @RequestParam String channels,
			@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "500") int limit,
			@RequestParam(defaultValue = "events") String kind,
			@RequestParam(defaultValue = "" + MAX_PAGE_BYTES) long maxBytes) {
		if (kind.equals("changes")) {
			return changes(since, channels, cursor, limit);
		}
		if (!kind.equals("events")) {
			return Mono.error(ContractViolation.badRequest("kind must be events or changes"));
		}
		return CurrentPrincipal.publisher().then(Mono.fromCallable(() -> {
			if (limit < 1 || limit > MAX_LIMIT) {
				throw ContractViolation.badRequest("limit must be between 1 and " + MAX_LIMIT);
			}
			if (maxBytes < 1 || maxBytes > MAX_PAGE_BYTES) {
				throw ContractViolation.badRequest("maxBytes must be between 1 and " + MAX_PAGE_BYTES);
			}
			Instant from = instant(since);
			SyncPosition after = (cursor != null && !cursor.isBlank()) ? Cursors.decode(cursor)
					: SyncPosition.after(from);
			return new Request(from, after, filter(channels));
		}))
			.flatMap((request) -> this.repository.findSince(request.after(), request.filter(), limit, maxBytes)
				.map((rows) -> page(request, rows)));
	}

	private static SyncPage page(Request request, SyncRows rows) {
		boolean more = rows.hasMore();
		List<LoggedEvent> kept = rows.events();
		List<HubEvent> changes = kept.stream().map(LoggedEvent::event).toList();
		LoggedEvent last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
		Instant syncTimestamp = (last != null) ? last.position().timestamp() : request.since();
		String next = (more && last != null) ? Cursors.encode(last.position()) : null;
		return new SyncPage(changes, syncTimestamp.toString(), more, next);
	}

	/**
	 * Seed 003's entity changes: {@code {changes: [{table, recordId, action, data,
	 * timestamp, channel, event}], syncTimestamp, hasMore, cursor?}}. The log's
	 * timestamps increase in commit order, so {@code syncTimestamp} (the last change's,
	 * or {@code since} when none) is a safe {@code since} for the next sync, and a page's
	 * cursor is simply its last timestamp.
	 */
	private Mono<ChangesPage> changes(String since, String channels, String cursor, int limit) {
		return CurrentPrincipal.publisher().then(Mono.fromCallable(() -> {
			if (limit < 1 || limit > MAX_LIMIT) {
				throw ContractViolation.badRequest("limit must be between 1 and " + MAX_LIMIT);
			}
			Instant from = instant((cursor != null && !cursor.isBlank()) ? cursor : since);
			return new Request(from, SyncPosition.after(from), filter(channels));
		}))
			.flatMap((request) -> this.changes.findSince(request.since(), request.filter(), limit + 1)
				.collectList()
				.map((rows) -> {
					boolean more = rows.size() > limit;
					List<EntityChange> kept = more ? rows.subList(0, limit) : rows;
					String syncTimestamp = kept.isEmpty() ? request.since().toString()
							: kept.get(kept.size() - 1).timestamp();
					return new ChangesPage(kept, syncTimestamp, more, more ? syncTimestamp : null);
				}));
	}

	static Instant instant(String since) {
		Instant instant;
		try {
			instant = Instant.parse(since);
		}
		catch (DateTimeParseException ex) {
			try {
				instant = java.time.OffsetDateTime.parse(since).toInstant();
			}
			catch (DateTimeParseException again) {
				throw ContractViolation.badRequest(
						"since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z but was '" + since + "'");
			}
		}
		if (!supported(instant)) {
			throw ContractViolation.badRequest("since must be within the years 0001 to 9999 but was '" + since + "'");
		}
		return instant;
	}

	/**
	 * Whether an instant lies within the years 0001 to 9999. Java reads instants up to
	 * the year 1,000,000,000, which no {@code OffsetDateTime} holds, and PostgreSQL's
	 * timestamps end in the year 294,276: either was a 500.
	 */
	static boolean supported(Instant instant) {
		return !instant.isBefore(EARLIEST) && instant.isBefore(END);
	}

	static ChannelFilter filter(String channels) {
		List<String> exact = new ArrayList<>();
		List<String> prefixes = new ArrayList<>();
		Map<String, Instant> from = new HashMap<>();
		for (String part : channels.split(",")) {
			String name = part.trim();
			if (name.isEmpty()) {
				continue;
			}
			if (name.equals("*")) {
				return new ChannelFilter(true, List.of(), List.of());
			}
			int bound = name.indexOf(SINCE);
			if (bound >= 0) {
				if (from.size() >= MAX_BOUNDED) {
					throw ContractViolation.badRequest("at most " + MAX_BOUNDED + " channels read from a time on");
				}
				from.put(Channel.parse(name.substring(0, bound)).name(), instant(name.substring(bound + 1)));
				continue;
			}
			if (name.endsWith(":")) {
				Channel.parse(name + "x");
				prefixes.add(name);
			}
			else {
				exact.add(Channel.parse(name).name());
			}
		}
		if (exact.isEmpty() && prefixes.isEmpty() && from.isEmpty()) {
			throw ContractViolation.badRequest("channels must name at least one channel, prefix ('workspace:') or '*'");
		}
		exact.removeAll(from.keySet());
		return new ChannelFilter(false, exact, prefixes, from);
	}

	private record Request(Instant since, SyncPosition after, ChannelFilter filter) {

	}

	/**
	 * A page of entity changes.
	 *
	 * @param changes the changes, in log order
	 * @param syncTimestamp the {@code since} of the next sync
	 * @param hasMore whether another page follows (read it with {@code cursor})
	 * @param cursor the next page's cursor, or {@code null}
	 */
	record ChangesPage(List<EntityChange> changes, String syncTimestamp, boolean hasMore, String cursor) {

	}

	/**
	 * A page of events.
	 *
	 * @param changes the events, oldest first
	 * @param syncTimestamp the {@code since} of the next sync
	 * @param hasMore whether another page follows (read it with {@code cursor})
	 * @param cursor the next page's cursor, or {@code null}
	 */
	record SyncPage(List<HubEvent> changes, String syncTimestamp, boolean hasMore, String cursor) {

	}

}
