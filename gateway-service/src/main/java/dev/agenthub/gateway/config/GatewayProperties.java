package dev.agenthub.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's limits and links ({@code hub.gateway.*}); defaults are the brief's.
 *
 * @param maxFrameBytes largest inbound frame; larger: error, close 1009
 * @param ratePerSecond sustained inbound messages per second per connection
 * @param rateBurst inbound burst per connection; beyond: error, close 4008
 * @param maxSubscriptions subscriptions per connection (implicit channels not counted)
 * @param maxOutboundBytes bytes queued for a slow reader before close 4010
 * @param pingInterval how often the server pings
 * @param idleTimeout silence after which a socket is closed
 * @param authTimeout time to authenticate by first message
 * @param recoveryMaxEvents most events one recovery replays (they may exceed the
 * slow-reader bound, so this bounds a recovering client's memory); more: recovered=false
 * @param pendingBufferEvents live events held for a subscription while it recovers
 * @param historyUrl broadcast-service's base URL, for recovery beyond the engine's window
 * @param historyTimeout time limit of one history request (and of one sync page)
 * @param agentServiceUrl agent-service's base URL, which knows the workspace owning an
 * {@code agent:} or {@code task:} channel
 * @param ownerCacheTtl how long a channel's owner (or its absence) is remembered
 * @param ownerTimeout time limit of one owner look-up; slower counts as unknown (deny)
 * @param presenceTtl how long a node's presence entries outlive its last heartbeat (a
 * dead gateway's users go offline after this)
 * @param syncPageSize most changes in one {@code sync_response} page
 * @param presenceAudience who hears of a user's presence changes
 * @param fanoutLanes threads that hand channels' events to their members (0: one per
 * core); each channel stays on one lane, so its order is kept
 * @param fanoutQueueEvents events waiting per lane at most; beyond, an event is left to
 * gap filling from history
 * @param presenceInterval at most one presence change per user is announced per interval
 * (the last state wins)
 * @param presenceGrace how long going offline waits to be announced: a reconnect within
 * it announces nothing
 * @param maxConnections browser connections one node holds at most; more are refused with
 * 503 and {@code Retry-After} (admission control)
 * @param maxOpening connections authenticating and opening at once at most; more are
 * refused the same way, so a reconnect storm queues at the clients, not in the engine
 * @param clientIdTtl how long a client id stays its user's after its last connection
 * (another user naming it meanwhile gets a fresh id)
 * @param presenceMaxAudience most people online in a workspace whose presence changes are
 * still announced on its channel; in a larger one each change would reach everyone in it
 * (N people connecting: N² frames), so its clients ask {@code GET /api/presence} instead
 * (0: no limit)
 * @param recoveryMaxBytes most bytes of events one recovery reads from the durable log
 * (beside {@code recoveryMaxEvents}: events can be large); more: recovered=false
 * @param clientIdsPerUser most client ids one user may claim that it did not hold before,
 * within one {@code clientIdTtl}; past that its connections get fresh ids (so one user
 * connecting with made-up ids cannot fill the claims)
 * @param connectionsPerSubject connections one user (or service) may hold on a node at
 * most; more are refused with {@code rate_limited} (close 4008, Socket.IO
 * {@code connect_error} with {@code retryAfter}), so that one token cannot take a node's
 * connections, and each presence change of a user reaches a bounded number of them
 */
@ConfigurationProperties("hub.gateway")
public record GatewayProperties(@DefaultValue("65536") int maxFrameBytes, @DefaultValue("100") int ratePerSecond,
		@DefaultValue("200") int rateBurst, @DefaultValue("256") int maxSubscriptions,
		@DefaultValue("1048576") int maxOutboundBytes, @DefaultValue("30s") Duration pingInterval,
		@DefaultValue("60s") Duration idleTimeout, @DefaultValue("5s") Duration authTimeout,
		@DefaultValue("20000") int recoveryMaxEvents, @DefaultValue("10000") int pendingBufferEvents,
		@DefaultValue("http://localhost:8082") String historyUrl, @DefaultValue("10s") Duration historyTimeout,
		@DefaultValue("http://localhost:8081") String agentServiceUrl, @DefaultValue("30s") Duration ownerCacheTtl,
		@DefaultValue("2s") Duration ownerTimeout, @DefaultValue("30s") Duration presenceTtl,
		@DefaultValue("500") int syncPageSize, @DefaultValue("workspaces") PresenceAudience presenceAudience,
		@DefaultValue("0") int fanoutLanes, @DefaultValue("100000") int fanoutQueueEvents,
		@DefaultValue("1s") Duration presenceInterval, @DefaultValue("2s") Duration presenceGrace,
		@DefaultValue("200000") int maxConnections, @DefaultValue("2000") int maxOpening,
		@DefaultValue("1d") Duration clientIdTtl, @DefaultValue("1000") int presenceMaxAudience,
		@DefaultValue("16MB") DataSize recoveryMaxBytes, @DefaultValue("1000") int clientIdsPerUser,
		@DefaultValue("1000") int connectionsPerSubject) {

	/** Who hears of a user's presence changes ({@code hub.gateway.presence-audience}). */
	public enum PresenceAudience {

		/**
		 * Every connection: changes go to {@code broadcast}, one publish per change
		 * delivered to every connection (O(N) per change). N users coming online cost
		 * N²/2 frames, so this is an option, not the default.
		 */
		EVERYONE,

		/**
		 * The default. The people who share a workspace with the user: changes go to the
		 * {@code workspace:} channels of the workspaces in its token (users with every
		 * workspace, and admins, to {@code broadcast}; users with none to their own
		 * {@code user:} channel).
		 */
		WORKSPACES

	}

}
