package dev.agenthub.agent.socketio;

import java.util.Map;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.session.AgentSession;
import dev.agenthub.support.connection.Admission;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.support.socket.SocketConfiguration;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import dev.agenthub.socketio.SocketIoServer;
import org.springframework.beans.factory.ObjectProvider;
import dev.agenthub.socketio.SocketIoLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mounts Socket.IO at {@code /socket.io/} with namespace {@code /agent}, with the raw
 * ingress's limits: the transport's payload limit (the pipeline refuses a message over
 * the frame size in words), the slow-reader bound as the engine's outbound queue (the
 * rate limit is the connection core's).
 */
@Configuration(proxyBeanMethods = false)
class AgentSocketIoConfiguration {

	@Bean
	SocketIoServer agentSocketIoServer(ConnectionServer<AgentSession> connections, AgentProperties properties,
			ObjectProvider<SocketIoMetrics> metrics) {
		SocketIoConfig config = SocketIoConfig.defaults()
			.withMaxPayload(
					SocketConfiguration.engineMaxPayload(properties.maxFrameBytes(), properties.maxOutboundBytes()))
			.withMaxOutboundBytes(properties.maxOutboundBytes())
			// a socket that never CONNECTs goes within 10 s; no handshake header is kept
			.withConnectTimeout(java.time.Duration.ofSeconds(10))
			.withKeptHeaders(java.util.Set.of())
			// nor the CONNECT's token: a socket's handlers read nothing of its auth after
			// it
			.withKeptAuth(java.util.Set.of());
		SocketIoServer server = new SocketIoServer(config, Map.of("/agent", new AgentNamespace(connections)),
				metrics.getIfAvailable(() -> SocketIoMetrics.NOOP));
		connections.socketIoServer(server);
		return server;
	}

	@Bean
	Admission agentSocketIoAdmission(ConnectionServer<AgentSession> connections, SocketIoServer agentSocketIoServer) {
		return new Admission(connections, "/socket.io/", agentSocketIoServer.webHandler());
	}

	/** Graceful shutdown: agents are told to go (they reconnect elsewhere). */
	@Bean
	SmartLifecycle agentSocketIoShutdown(SocketIoServer agentSocketIoServer) {
		return new SocketIoLifecycle(agentSocketIoServer, () -> {
		});
	}

}
