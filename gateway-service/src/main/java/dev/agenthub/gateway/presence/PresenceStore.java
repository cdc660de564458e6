package dev.agenthub.gateway.presence;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Presence of users across every gateway node.
 * <p>
 * Guarantees, for every implementation:
 * <ul>
 * <li>Each connection of a user has its own status ({@code online}, {@code away},
 * {@code busy} or {@code offline}), stored under the node that holds the connection.</li>
 * <li>A user's <b>aggregate</b> status is the status most recently set on any of its live
 * connections (a new tab that comes online makes the user online again); with no live
 * connection it is {@code offline}.</li>
 * <li>{@link #set} and {@link #remove} are atomic across nodes and report the aggregate
 * just before and just after the change, so exactly one caller sees each change.</li>
 * <li><b>TTL</b>: a node's entries live for the store's TTL after its last
 * {@link #refresh()} (called from the heartbeat timer), so a dead gateway's connections
 * stop counting. Expired entries are dropped lazily, when read, and by
 * {@link #sweep()}.</li>
 * <li><b>Sweep</b>: users who went offline only because their node expired are reported
 * by exactly one {@link #sweep()} call across all nodes, so one node announces it.</li>
 * <li><b>Audience</b>: each user's audience (who hears of its changes, an opaque string)
 * is the one given with its latest {@link #set}; every {@link Change} of the user carries
 * it, also a removal's and a sweep's, until the user is offline.</li>
 * <li><b>Audience sizes</b>: for each channel, how many users not offline name it in
 * their audience (an audience is channels separated by commas), kept with every change,
 * removal and sweep.</li>
 * </ul>
 */
public interface PresenceStore {

	/**
	 * Sets a connection's status; creates the entry when new.
	 * @param userId the user
	 * @param connectionId the connection
	 * @param status the connection's status
	 * @param audience who hears of the user's changes (kept for the user; see the class
	 * comment)
	 */
	Mono<Change> set(String userId, String connectionId, String status, String audience);

	/** Removes a connection (it closed). */
	Mono<Change> remove(String userId, String connectionId);

	/** Keeps this node's entries alive for another TTL. */
	Mono<Void> refresh();

	/**
	 * Finds users who went offline because their connections' nodes stopped refreshing.
	 * Cheap to call often: the work runs at most once per TTL across all nodes.
	 * @return one change to {@code offline} per such user, each reported once
	 */
	Mono<java.util.List<Change>> sweep();

	/** Users whose aggregate status is not {@code offline}, with that status. */
	Mono<Map<String, String>> online();

	/**
	 * A user's aggregate status now, over every node ({@code offline} when it has no live
	 * connection).
	 */
	Mono<String> status(String userId);

	/**
	 * How many users not offline have each channel in their audience.
	 * @param channels the channels asked about
	 * @return a size for every channel asked about (0 for none)
	 */
	Mono<Map<String, Long>> audienceSizes(java.util.Collection<String> channels);

	/**
	 * A user's aggregate status around one change.
	 *
	 * @param userId the user
	 * @param before the aggregate before
	 * @param after the aggregate after
	 * @param audience the user's audience, as last set
	 */
	record Change(String userId, String before, String after, String audience) {

		/** Whether the aggregate changed (and should be announced). */
		public boolean changed() {
			return !this.before.equals(this.after);
		}

	}

}
