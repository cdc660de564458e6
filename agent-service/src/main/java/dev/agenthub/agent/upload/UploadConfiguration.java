package dev.agenthub.agent.upload;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.routing.LocalNodeBus;
import dev.agenthub.agent.routing.RedisNodeBus;
import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.agent.session.AgentRegistry;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.support.engine.HubEngineProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires uploads: a node bus of their own (memory: this node; Redis: channels under
 * {@code <prefix>upload:agent:node:}), the relay and the service.
 */
@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

	@Bean
	UploadBus uploadBus(HubEngineProperties engine, AgentProperties properties, ObjectProvider<RedisEngine> redis) {
		// On the Redis engines (one Redis or a cluster) uploads travel on a node bus of
		// their own; in one process, in memory.
		RedisEngine shared = redis.getIfAvailable();
		if (shared != null) {
			return new UploadBus(new RedisNodeBus(shared, engine.keyPrefix() + "upload:"), properties);
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
