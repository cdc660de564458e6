package dev.agenthub.agent.upload;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.routing.LocalNodeBus;
import dev.agenthub.agent.routing.RedisNodeBus;
import dev.agenthub.agent.session.AgentRegistry;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.support.engine.HubEngineProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires uploads: a node bus of their own (memory: this node; Redis: channels under
 * {@code <prefix>upload:agent:node:}), the relay and the service.
 */
@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

	@Bean
	UploadBus uploadBus(@Value("${hub.engine:memory}") String engineName, HubEngineProperties engine,
			AgentProperties properties, ObjectProvider<RedisClient> clients,
			ObjectProvider<StatefulRedisConnection<String, String>> connections) {
		RedisClient client = clients.getIfAvailable();
		if ("redis".equals(engineName) && client != null) {
			return new UploadBus(new RedisNodeBus(client, connections.getObject(), engine.keyPrefix() + "upload:"),
					properties);
		}
		return new UploadBus(new LocalNodeBus(), properties);
	}

	@Bean
	UploadRelay uploadRelay(AgentRegistry registry, UploadBus bus) {
		return new UploadRelay(new AgentLink(registry), bus);
	}

	@Bean
	UploadService uploadService(UploadProperties properties, WorkspaceLeases leases, UploadBus bus, TaskStore tasks,
			Broker broker, UploadRelay relay) {
		UploadService service = new UploadService(properties, leases, bus, tasks, broker);
		bus.wire(relay, service);
		return service;
	}

}
