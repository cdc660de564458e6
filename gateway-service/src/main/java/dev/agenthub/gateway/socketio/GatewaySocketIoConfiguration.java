package dev.agenthub.gateway.socketio;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.gateway.session.SocketIoGateway;
import dev.agenthub.support.auth.WarmUpPass;
import dev.agenthub.support.connection.Admission;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import dev.agenthub.socketio.SocketIoServer;
import dev.agenthub.support.engine.HubEngineProperties;
import dev.agenthub.support.socket.SocketConfiguration;
import dev.agenthub.broker.redis.RedisEngine;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import dev.agenthub.socketio.SocketIoLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mounts Socket.IO at {@code /socket.io/} (namespace {@code /}) with the raw protocol's
 * limits: the transport's payload limit (the pipeline refuses a message over the frame
 * size in words), the slow-reader bound as the engine's outbound queue; resume records in
 * Redis with the Redis engine, else in memory.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SocketIoProperties.class)
class GatewaySocketIoConfiguration {

	@Bean
	SocketIoServer gatewaySocketIoServer(SocketIoGateway namespace, GatewayProperties gateway,
			SocketIoProperties properties, ObjectProvider<MeterRegistry> meters,
			ConnectionServer<GatewaySession> connections) {
		SocketIoConfig config = SocketIoConfig.defaults()
			.withHeartbeat(properties.pingInterval(), properties.pingTimeout())
			.withMaxPayload(SocketConfiguration.engineMaxPayload(gateway.maxFrameBytes(), gateway.maxOutboundBytes()))
			.withMaxOutboundBytes(gateway.maxOutboundBytes())
			.withMaxSessions(properties.maxSessions())
			// a socket that never CONNECTs goes within 10 s; only the header a handler
			// reads stays with a session (not the whole handshake request)
			.withConnectTimeout(java.time.Duration.ofSeconds(10))
			.withKeptHeaders(java.util.Set.of("x-client-id"))
			// nor the CONNECT's token: a socket's handlers read nothing of its auth after
			// it
			.withKeptAuth(java.util.Set.of());
		MeterRegistry registry = meters.getIfAvailable();
		SocketIoMetrics metrics = (registry != null) ? new MicrometerSocketIoMetrics(registry) : SocketIoMetrics.NOOP;
		SocketIoServer server = new SocketIoServer(config, Map.of("/", namespace), metrics);
		connections.socketIoServer(server);
		return server;
	}

	@Bean
	Admission gatewaySocketIoAdmission(ConnectionServer<GatewaySession> connections, SocketIoServer server) {
		return new Admission(connections, "/socket.io/", server.webHandler());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnExpression("'${hub.engine:memory}'.startsWith('redis')")
	ResumeStore redisResumeStore(RedisEngine redis, HubEngineProperties engine, SocketIoProperties properties) {
		return new RedisResumeStore(redis, engine.keyPrefix(), properties.resumesPerUser(), Set.of(WarmUpPass.SUBJECT));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "hub.engine", havingValue = "memory", matchIfMissing = true)
	ResumeStore inMemoryResumeStore(SocketIoProperties properties) {
		return new InMemoryResumeStore(properties.resumeCapacity(), properties.resumesPerUser(),
				Set.of(WarmUpPass.SUBJECT));
	}

	/**
	 * Graceful shutdown: before the web server stops, every session is closed (clients
	 * reconnect, elsewhere or later) and their resume records are stored.
	 */
	@Bean
	SmartLifecycle gatewaySocketIoShutdown(SocketIoServer server, SocketIoGateway namespace) {
		return new SocketIoLifecycle(server, () -> namespace.awaitResumeRecords(Duration.ofSeconds(5)));
	}

}
