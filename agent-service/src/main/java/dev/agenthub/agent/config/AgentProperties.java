package dev.agenthub.agent.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent ingress's settings ({@code hub.agent.*}).
 *
 * @param heartbeatInterval how often agents send {@code heartbeat}
 * @param missedHeartbeats intervals without a message after which a session is closed
 * @param registerTimeout time to send {@code register} after connecting
 * @param minVersion agents below this version are told to update ({@code agent:update})
 * @param maxFrameBytes largest inbound frame
 * @param ratePerSecond sustained inbound messages per second (agents are chatty)
 * @param rateBurst inbound burst
 * @param maxOutboundBytes bytes queued for an agent before it is closed
 * @param coalesceWindow how long small {@code tab:output} chunks wait to be merged
 * @param coalesceMaxBytes merged chunk size at which it is published at once
 * @param maxPendingPublishes events of one agent waiting to be published; more: error
 */
@ConfigurationProperties("hub.agent")
public record AgentProperties(@DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("3") int missedHeartbeats,
		@DefaultValue("10s") Duration registerTimeout, @DefaultValue("0.0.0") String minVersion,
		@DefaultValue("65536") int maxFrameBytes, @DefaultValue("1000") int ratePerSecond,
		@DefaultValue("2000") int rateBurst, @DefaultValue("1048576") int maxOutboundBytes,
		@DefaultValue("5ms") Duration coalesceWindow, @DefaultValue("16384") int coalesceMaxBytes,
		@DefaultValue("1024") int maxPendingPublishes) {

}
