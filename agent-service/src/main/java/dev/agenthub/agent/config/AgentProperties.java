package dev.agenthub.agent.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The agent ingress's settings ({@code hub.agent.*}).
 *
 * @param heartbeatInterval how often agents send {@code heartbeat}
 * @param missedHeartbeats intervals without a message after which a session is closed
 * @param registerTimeout time to send {@code register} after connecting
 * @param minVersion agents below this version are told to update ({@code agent:update})
 * @param maxFrameBytes largest inbound frame
 * @param throughput what one agent (one workspace) may send per second; a faster agent is
 * slowed (the hub stops reading its socket, TCP pushes back), never closed for speed
 * @param throughputBurst what it may send at once above that
 * @param maxOutboundBytes bytes queued for an agent before it is closed
 * @param coalesceMaxBytes largest merged {@code tab:output} chunk (chunks of a tab that
 * arrive while a publish is in flight are merged)
 * @param maxPendingPublishes events of one agent waiting to be published; more: error
 * @param pendingPublishBytes characters of agents' events a node holds waiting to be
 * published (a slow or unavailable engine), one agent at most a sixteenth of it; more:
 * error
 * @param publishOutage how long agents' events wait for an unavailable engine (Redis
 * restarting or failing over) before each is reported to its agent as not published
 * @param nodeId this instance's id among agent-service instances (default: random per
 * start; letters, digits, {@code - _ .})
 * @param leaseTtl how long a workspace lease lives without renewal (renewed every third
 * of it while the session lives)
 * @param maxTrackedTasks running tasks whose output tail a node keeps in memory
 * @param maxTrackedTasksPerWorkspace of those, the most one workspace's may be (its
 * oldest makes room for its newest, never another workspace's)
 * @param taskFlushInterval how often running tasks' output tails are written
 * @param maxConnections agent connections one node holds at most; more are refused with
 * 503 and {@code Retry-After}
 * @param maxOpening connections authenticating and registering at once at most; more are
 * refused the same way
 * @param connectionsPerSubject connections one agent id may hold on a node at most (a
 * sidecar needs one; a newer registration replaces the older); more are refused with
 * {@code rate_limited}, so that one agent token cannot take a node's connections
 * @param lostTaskTimeout how long a workspace's agent may stay gone (disconnected, or
 * silent with its node gone) before its queued and running tasks are ended as
 * {@code failed} (lost); checked every half of it, at most every 30 s
 */
@ConfigurationProperties("hub.agent")
public record AgentProperties(@DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("3") int missedHeartbeats,
		@DefaultValue("10s") Duration registerTimeout, @DefaultValue("0.0.0") String minVersion,
		@DefaultValue("65536") int maxFrameBytes, @DefaultValue("4MB") DataSize throughput,
		@DefaultValue("8MB") DataSize throughputBurst, @DefaultValue("1048576") int maxOutboundBytes,
		@DefaultValue("16384") int coalesceMaxBytes, @DefaultValue("1024") int maxPendingPublishes, String nodeId,
		@DefaultValue("30s") Duration leaseTtl, @DefaultValue("10000") int maxTrackedTasks,
		@DefaultValue("256") int maxTrackedTasksPerWorkspace, @DefaultValue("2s") Duration taskFlushInterval,
		@DefaultValue("200000") int maxConnections, @DefaultValue("2000") int maxOpening,
		@DefaultValue("1000") int connectionsPerSubject, @DefaultValue("64MB") DataSize pendingPublishBytes,
		@DefaultValue("30s") Duration publishOutage, @DefaultValue("2m") Duration lostTaskTimeout) {

	public AgentProperties {
		if (nodeId == null || nodeId.isBlank()) {
			nodeId = java.util.UUID.randomUUID().toString();
		}
		else if (!nodeId.matches("[A-Za-z0-9_.-]+")) {
			throw new IllegalArgumentException("hub.agent.node-id may hold only letters, digits, '-', '_' and '.'");
		}
		if (leaseTtl.compareTo(heartbeatInterval) < 0) {
			throw new IllegalArgumentException("hub.agent.lease-ttl must be at least hub.agent.heartbeat-interval");
		}
	}

}
