package dev.agenthub.agent.config;

import java.time.Clock;
import java.util.List;

import dev.agenthub.agent.lease.MemoryWorkspaceLeases;
import dev.agenthub.agent.lease.RedisWorkspaceLeases;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.routing.LocalNodeBus;
import dev.agenthub.agent.routing.NodeBus;
import dev.agenthub.agent.routing.RedisNodeBus;
import dev.agenthub.agent.session.AgentIngress;
import dev.agenthub.agent.session.AgentSession;
import dev.agenthub.support.auth.HubTokenVerifier;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.support.connection.RawSockets;
import dev.agenthub.support.cors.HubCorsProperties;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.agent.task.CommandService;
import dev.agenthub.agent.task.LostTasks;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.agent.task.TaskTracker;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.support.engine.HubEngineProperties;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * Wires the {@code /agent/ws} endpoint, the stores and the engine-specific parts: leases
 * and node messages in Redis with {@code hub.engine=redis} or {@code redis-cluster}, in
 * this node's memory otherwise.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:hub/agent-service-database.properties")
class AgentConfiguration {

	@Bean
	ConnectionServer<AgentSession> agentConnections(AgentIngress ingress, HubTokenVerifier verifier) {
		return new ConnectionServer<>(ingress, verifier);
	}

	@Bean
	RawSockets agentRawSockets(ConnectionServer<AgentSession> connections, ObjectProvider<HubCorsProperties> cors) {
		return new RawSockets(connections, List.of("/agent/ws", "/api/ws"), cors.getIfAvailable());
	}

	@Bean
	AgentStore agentStore(ConnectionFactory connectionFactory) {
		return new AgentStore(connectionFactory);
	}

	@Bean
	TaskStore taskStore(ConnectionFactory connectionFactory) {
		return new TaskStore(connectionFactory);
	}

	@Bean
	TaskTracker taskTracker(TaskStore store, AgentProperties properties) {
		return new TaskTracker(store, properties.maxTrackedTasks(), properties.maxTrackedTasksPerWorkspace());
	}

	@Bean
	LostTasks lostTasks(TaskStore store, TaskTracker tracker, Broker broker, WorkspaceLeases leases) {
		return new LostTasks(store, tracker, broker, leases);
	}

	@Bean
	CommandService commandService(WorkspaceLeases leases, NodeBus bus, TaskStore store, LostTasks lostTasks,
			AgentStore agents) {
		return new CommandService(leases, bus, store, lostTasks, agents);
	}

	/** The memory engine: one node. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "hub.engine", havingValue = "memory", matchIfMissing = true)
	static class Memory {

		@Bean
		WorkspaceLeases workspaceLeases(AgentProperties properties) {
			return new MemoryWorkspaceLeases(properties.leaseTtl(), Clock.systemUTC());
		}

		@Bean
		NodeBus nodeBus() {
			return new LocalNodeBus();
		}

	}

	/** The Redis engine: leases and node messages shared by every instance. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnExpression("'${hub.engine:memory}'.startsWith('redis')")
	static class Redis {

		@Bean
		WorkspaceLeases workspaceLeases(RedisEngine redis, HubEngineProperties engine, AgentProperties properties) {
			return new RedisWorkspaceLeases(redis, engine.keyPrefix(), properties.leaseTtl());
		}

		@Bean(destroyMethod = "close")
		NodeBus nodeBus(RedisEngine redis, HubEngineProperties engine) {
			return new RedisNodeBus(redis, engine.keyPrefix());
		}

	}

}
