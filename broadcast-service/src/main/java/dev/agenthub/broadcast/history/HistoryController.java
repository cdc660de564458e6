package dev.agenthub.broadcast.history;

import java.util.List;
import java.util.regex.Pattern;

import dev.agenthub.broadcast.log.EventLogRepository;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.support.auth.ChannelAccess;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/channels/{channel}/events?epoch=E&since=N&limit=L}: the logged events
 * of a channel's epoch after offset N, oldest first, at most L (default 1,000, at most
 * 10,000) and at most 4 MiB of event data ({@link #MAX_PAGE_BYTES}; the first event
 * always): a page stops at whichever comes first. {@code hasMore} says whether a next
 * page exists.
 */
@RestController
public class HistoryController {

	static final int DEFAULT_LIMIT = 1000;

	static final int MAX_LIMIT = 10_000;

	/**
	 * Most event data in a page, 4 MiB: 10,000 events of up to 64 KiB each would have
	 * held hundreds of MB per request.
	 */
	static final long MAX_PAGE_BYTES = 4 * 1024 * 1024;

	/**
	 * An epoch as the broker makes them ({@code Epochs}: ten of {@code [0-9a-z]}; a
	 * virtual epoch is {@code v} and digits), at most as long as the log's column.
	 */
	private static final Pattern EPOCH = Pattern.compile("[0-9a-z]{1,32}");

	private final EventLogRepository repository;

	private final ChannelAccess access;

	public HistoryController(EventLogRepository repository, ChannelAccess access) {
		this.repository = repository;
		this.access = access;
	}

	@GetMapping("/api/channels/{channel}/events")
	Mono<HistoryPage> events(@PathVariable String channel, @RequestParam String epoch,
			@RequestParam(defaultValue = "0") long since, @RequestParam(defaultValue = "1000") int limit) {
		Channel parsed = Channel.parse(channel);
		if (limit < 1 || limit > MAX_LIMIT) {
			throw ContractViolation.badRequest("limit must be between 1 and " + MAX_LIMIT);
		}
		if (!EPOCH.matcher(epoch).matches()) {
			throw ContractViolation.badRequest("epoch must be 1 to 32 lower-case letters or digits");
		}
		if (since < 0) {
			throw ContractViolation.badRequest("since must not be negative");
		}
		return CurrentPrincipal.get()
			.flatMap((principal) -> this.access.mayRead(principal, parsed, null))
			.flatMap((allowed) -> allowed ? this.repository.findPage(channel, epoch, since, limit, MAX_PAGE_BYTES)
					: Mono.error(new ContractViolation(ErrorCode.FORBIDDEN, "not allowed to read " + channel)))
			.map((page) -> new HistoryPage(channel, epoch, page.events(), page.hasMore()));
	}

	/**
	 * A page of a channel's log.
	 *
	 * @param channel the channel
	 * @param epoch the epoch asked for
	 * @param events the events, oldest first
	 * @param hasMore whether more events follow the last one
	 */
	public record HistoryPage(String channel, String epoch, List<HubEvent> events, boolean hasMore) {

	}

}
