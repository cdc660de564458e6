package dev.agenthub.gateway.config;

import java.util.List;

import dev.agenthub.gateway.access.AgentServiceChannelOwners;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.metrics.MicrometerGatewayMetrics;
import dev.agenthub.gateway.recovery.LogHistoryClient;
import dev.agenthub.support.auth.ServiceTokenSource;
import dev.agenthub.gateway.session.GatewayIngress;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubTokenVerifier;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.support.connection.RawSockets;
import dev.agenthub.support.cors.HubCorsProperties;
import dev.agenthub.gateway.session.SessionRegistry;
import dev.agenthub.gateway.sync.SyncClient;
import io.micrometer.core.instrument.MeterRegistry;
import dev.agenthub.support.auth.ChannelAccess;
import dev.agenthub.support.auth.ChannelOwners;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Wires the gateway: the {@code /ws} endpoint, channel access (owners from
 * agent-service), metrics, and the clients of broadcast-service (log history, sync).
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

	@Bean
	ConnectionServer<GatewaySession> gatewayConnections(GatewayIngress ingress, HubTokenVerifier verifier) {
		return new ConnectionServer<>(ingress, verifier);
	}

	@Bean
	RawSockets gatewayRawSockets(ConnectionServer<GatewaySession> connections, ObjectProvider<HubCorsProperties> cors) {
		return new RawSockets(connections, List.of("/ws", "/api/ws"), cors.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ChannelAccess channelAccess(ObjectProvider<ChannelOwners> owners) {
		return new ChannelAccess(owners.getIfAvailable(() -> ChannelOwners.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	GatewayMetrics gatewayMetrics(ObjectProvider<MeterRegistry> registry, SessionRegistry sessions) {
		MeterRegistry meters = registry.getIfAvailable();
		return (meters != null) ? new MicrometerGatewayMetrics(meters, sessions) : GatewayMetrics.NOOP;
	}

	@Bean
	@ConditionalOnMissingBean
	ChannelOwners agentServiceChannelOwners(WebClient.Builder builder, GatewayProperties properties,
			ServiceTokenSource tokens) {
		return new AgentServiceChannelOwners(builder, properties, tokens);
	}

	@Bean
	SyncClient syncClient(WebClient.Builder builder, GatewayProperties properties, ServiceTokenSource tokens) {
		return new SyncClient(builder, properties, tokens);
	}

	@Bean
	LogHistoryClient logHistoryClient(WebClient.Builder builder, GatewayProperties properties,
			ServiceTokenSource tokens) {
		return new LogHistoryClient(builder, properties, tokens);
	}

}
