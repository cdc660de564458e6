package dev.agenthub.agent.config;

import java.util.Map;

import dev.agenthub.agent.session.AgentSocketHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** Wires the {@code /agent/ws} endpoint. */
@Configuration(proxyBeanMethods = false)
class AgentConfiguration {

	@Bean
	HandlerMapping agentSocketMapping(AgentSocketHandler handler) {
		return new SimpleUrlHandlerMapping(Map.of("/agent/ws", handler), -1);
	}

}
