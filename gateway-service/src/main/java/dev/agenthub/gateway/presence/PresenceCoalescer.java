package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Coalesces a user's presence changes before they are announced: at most one change per
 * user per interval, the last state winning; a state equal to the last announced one is
 * no change; going offline waits a grace period, so a reconnect within it (a page reload,
 * a network blip) announces nothing. One entry per user with a change pending or
 * announced within the last interval.
 */
final class PresenceCoalescer {

	private static final Logger logger = LoggerFactory.getLogger(PresenceCoalescer.class);

	private static final String OFFLINE = "offline";

	private final long intervalNanos;

	private final long graceNanos;

	private final Function<PresenceStore.Change, Mono<Void>> announce;

	private final Map<String, User> users = new ConcurrentHashMap<>();

	PresenceCoalescer(Duration interval, Duration grace, Function<PresenceStore.Change, Mono<Void>> announce) {
		this.intervalNanos = interval.toNanos();
		this.graceNanos = grace.toNanos();
		this.announce = announce;
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
				.subscribe(null,
						(ex) -> logger.warn("Presence of {} not announced: {}", change.userId(), ex.toString()));
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
	 * Announces a user's change if there is one; completes when done, failures logged.
	 */
	private Mono<Void> flush(String userId, User user) {
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
			.doOnError((ex) -> logger.warn("Presence of {} not announced: {}", userId, ex.toString()))
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
