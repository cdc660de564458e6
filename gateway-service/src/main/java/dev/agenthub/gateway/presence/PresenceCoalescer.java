package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Coalesces a user's presence changes before they are announced: at most one change per
 * user per interval, the last state winning; a state equal to the last announced one is
 * no change; going offline waits a grace period, so a reconnect within it (a page reload,
 * a network blip) announces nothing. A departure held that long is checked against the
 * store before it is announced: a user who came back on another gateway meanwhile is
 * online there (and announced so by that gateway), not offline. One entry per user with a
 * change pending or announced within the last interval.
 */
final class PresenceCoalescer {

	private static final Logger logger = LoggerFactory.getLogger(PresenceCoalescer.class);

	/** One line per interval however many users a dead engine fails. */
	private final ThrottledWarning notAnnounced = new ThrottledWarning(logger, Duration.ofSeconds(10));

	private static final String OFFLINE = "offline";

	private final long intervalNanos;

	private final long graceNanos;

	private final Function<PresenceStore.Change, Mono<Void>> announce;

	private final Function<String, Mono<String>> current;

	private final Map<String, User> users = new ConcurrentHashMap<>();

	/**
	 * @param interval at most one announcement per user per interval
	 * @param grace how long going offline waits
	 * @param announce announces a change
	 * @param current a user's aggregate status in the store now
	 */
	PresenceCoalescer(Duration interval, Duration grace, Function<PresenceStore.Change, Mono<Void>> announce,
			Function<String, Mono<String>> current) {
		this.intervalNanos = interval.toNanos();
		this.graceNanos = grace.toNanos();
		this.announce = announce;
		this.current = current;
	}

	/** Takes a change of a user's aggregate status (as the store reports it). */
	void offer(PresenceStore.Change change) {
		if (!change.changed() && !this.users.containsKey(change.userId())) {
			return;
		}
		User user = this.users.computeIfAbsent(change.userId(), (id) -> new User(change.before()));
		long delay;
		synchronized (user) {
			user.latest = change.after();
			if (!change.audience().isEmpty()) {
				user.audience = change.audience();
			}
			if (user.scheduled) {
				return;
			}
			long now = System.nanoTime();
			delay = Math.max(0, user.announcedAt + this.intervalNanos - now);
			if (user.announcedAt == 0) {
				delay = 0;
			}
			if (OFFLINE.equals(user.latest)) {
				delay = Math.max(delay, this.graceNanos);
			}
			user.scheduled = delay > 0;
		}
		if (delay == 0) {
			flush(change.userId(), user).subscribe();
		}
		else {
			Mono.delay(Duration.ofNanos(delay))
				.flatMap((tick) -> flush(change.userId(), user))
				.subscribe(null, (ex) -> this.notAnnounced.warn("Presence of {} not announced: {}", change.userId(),
						ex.toString()));
		}
	}

	/**
	 * Announces every pending change now, grace periods cut short: the node is shutting
	 * down, and its timers would fire after the engine closed (nobody else would announce
	 * what it held). A client that reconnects elsewhere is announced online again there.
	 * @return completes when every announcement is done (failures logged)
	 */
	Mono<Void> flushNow() {
		List<Mono<Void>> announcements = new ArrayList<>();
		this.users.forEach((userId, user) -> {
			boolean pending;
			synchronized (user) {
				pending = user.scheduled;
			}
			if (pending) {
				announcements.add(flush(userId, user));
			}
		});
		return Mono.when(announcements);
	}

	/**
	 * Announces a user's change if there is one; completes when done, failures logged. A
	 * departure is announced only if the store still has the user offline.
	 */
	private Mono<Void> flush(String userId, User user) {
		boolean departure;
		synchronized (user) {
			departure = OFFLINE.equals(user.latest) && !OFFLINE.equals(user.announced);
		}
		if (!departure) {
			return announce(userId, user);
		}
		return this.current.apply(userId).onErrorResume((ex) -> {
			logger.debug("Presence of {} not checked before its departure: {}", userId, ex.toString());
			return Mono.just(OFFLINE);
		}).defaultIfEmpty(OFFLINE).flatMap((now) -> {
			if (!OFFLINE.equals(now)) {
				synchronized (user) {
					if (OFFLINE.equals(user.latest)) {
						// back on another gateway, which announces it there
						user.latest = now;
					}
				}
			}
			return announce(userId, user);
		});
	}

	private Mono<Void> announce(String userId, User user) {
		PresenceStore.Change announced = null;
		synchronized (user) {
			user.scheduled = false;
			if (!user.latest.equals(user.announced)) {
				announced = new PresenceStore.Change(userId, user.announced, user.latest,
						(user.audience != null) ? user.audience : "");
				user.announced = user.latest;
				user.announcedAt = System.nanoTime();
			}
			if (OFFLINE.equals(user.announced)) {
				this.users.remove(userId, user);
			}
		}
		// Forget the user once the interval has passed quietly: the store's next change
		// starts from what was announced.
		Mono.delay(Duration.ofNanos(this.intervalNanos)).subscribe((tick) -> {
			synchronized (user) {
				if (!user.scheduled && user.latest.equals(user.announced)) {
					this.users.remove(userId, user);
				}
			}
		});
		if (announced == null) {
			return Mono.empty();
		}
		return this.announce.apply(announced)
			.doOnError((ex) -> this.notAnnounced.warn("Presence of {} not announced: {}", userId, ex.toString()))
			.onErrorComplete();
	}

	/** Users with an entry (for tests and metrics). */
	int tracked() {
		return this.users.size();
	}

	private static final class User {

		private String announced;

		private String latest;

		private String audience;

		private long announcedAt;

		private boolean scheduled;

		User(String announced) {
			this.announced = announced;
			this.latest = announced;
		}

	}

}
