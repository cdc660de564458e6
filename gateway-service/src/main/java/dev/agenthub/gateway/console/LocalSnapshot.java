package dev.agenthub.gateway.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.gateway.metrics.GatewayMeters;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.gateway.session.SessionRegistry;
import dev.agenthub.support.auth.HubPrincipal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What this gateway node knows by itself: its connections, who watches a workspace, its
 * channels with their subscribers, and its closes by reason (from its meters). Each
 * answer walks the node's connections once and is bounded by
 * {@link ConsoleProperties#maxRows()}.
 */
@Component
class LocalSnapshot {

	/** Meters whose counts by {@code reason} the operator view lists as closes. */
	private static final List<String> CLOSE_METERS = List.of(GatewayMeters.CLOSES.meterName(),
			"hub.socketio.sessions.closed");

	private final SessionRegistry sessions;

	private final MeterRegistry meters;

	private final ConsoleProperties properties;

	LocalSnapshot(SessionRegistry sessions, MeterRegistry meters, ConsoleProperties properties) {
		this.sessions = sessions;
		this.meters = meters;
		this.properties = properties;
	}

	/** Users with the workspace's channel open here, with their number of connections. */
	List<Watcher> watchers(String workspaceId) {
		String channel = Channel.workspace(workspaceId).name();
		Map<String, Integer> byUser = new HashMap<>();
		for (GatewaySession session : this.sessions.sessions()) {
			HubPrincipal principal = session.principal();
			if (principal != null && session.subscriptions().containsKey(channel)) {
				byUser.merge(principal.subject(), 1, Integer::sum);
			}
		}
		return byUser.entrySet()
			.stream()
			.map((entry) -> new Watcher(entry.getKey(), entry.getValue()))
			.sorted(Comparator.comparing(Watcher::userId))
			.limit(this.properties.maxRows())
			.toList();
	}

	/**
	 * Every channel with explicit subscribers here, with their number (one walk over the
	 * node's connections).
	 */
	Map<String, Integer> subscriberCounts() {
		Map<String, Integer> counts = new HashMap<>();
		for (GatewaySession session : this.sessions.sessions()) {
			session.subscriptions().forEach((name, state) -> {
				if (!state.implicit()) {
					counts.merge(name, 1, Integer::sum);
				}
			});
		}
		return counts;
	}

	/** The busiest channels of {@link #subscriberCounts()}, busiest first. */
	List<ChannelLoad> busiest(Map<String, Integer> counts) {
		return counts.entrySet()
			.stream()
			.map((entry) -> new ChannelLoad(entry.getKey(), entry.getValue()))
			.sorted(Comparator.comparingInt(ChannelLoad::subscribers).reversed().thenComparing(ChannelLoad::channel))
			.limit(this.properties.maxRows())
			.toList();
	}

	/** Connections closed by the gateway or its Socket.IO engine, by reason. */
	List<Closes> closes() {
		List<Closes> out = new ArrayList<>();
		for (String name : CLOSE_METERS) {
			for (Counter counter : this.meters.find(name).counters()) {
				String reason = counter.getId().getTag(GatewayMeters.TAG_REASON);
				out.add(new Closes(name, (reason != null) ? reason : "-", (long) counter.count()));
			}
		}
		out.sort(Comparator.comparingLong(Closes::count).reversed());
		return out;
	}

	/** Counter totals: messages in and out. */
	long count(GatewayMeters meter) {
		Counter counter = this.meters.find(meter.meterName()).counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	/**
	 * A user watching a workspace here.
	 *
	 * @param userId the user
	 * @param connections how many of its connections have the workspace open
	 */
	record Watcher(String userId, int connections) {

	}

	/**
	 * A channel and its explicit subscribers on this node.
	 *
	 * @param channel the channel
	 * @param subscribers connections subscribed to it
	 */
	record ChannelLoad(String channel, int subscribers) {

	}

	/**
	 * Closes counted by a meter with a reason.
	 *
	 * @param meter the meter
	 * @param reason its {@code reason} tag
	 * @param count how many since the node started
	 */
	record Closes(String meter, String reason, long count) {

	}

}
