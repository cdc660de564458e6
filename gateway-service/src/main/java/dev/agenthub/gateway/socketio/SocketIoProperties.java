package dev.agenthub.gateway.socketio;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's Socket.IO settings ({@code hub.gateway.socketio.*}); frame, rate,
 * subscription and slow-reader limits are the raw protocol's ({@code hub.gateway.*}).
 *
 * @param pingInterval how often the engine pings (Engine.IO heartbeat)
 * @param pingTimeout how long a pong may take before the session closes
 * @param resumeTtl how long a disconnected socket can still recover
 * @param resumeCapacity records the memory store keeps (single node)
 * @param maxSessions Engine.IO sessions per node; more: 503
 * @param resumesPerUser resume records one user keeps at most (memory: its oldest goes;
 * Redis: more saves within one {@code resumeTtl} are not kept), so one user dropping
 * sockets again and again cannot fill the store or grow Redis
 */
@ConfigurationProperties("hub.gateway.socketio")
public record SocketIoProperties(@DefaultValue("25s") Duration pingInterval, @DefaultValue("20s") Duration pingTimeout,
		@DefaultValue("2m") Duration resumeTtl, @DefaultValue("100000") int resumeCapacity,
		@DefaultValue("200000") int maxSessions, @DefaultValue("100") int resumesPerUser) {

}
