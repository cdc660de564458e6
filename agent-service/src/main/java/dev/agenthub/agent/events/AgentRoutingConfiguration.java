package dev.agenthub.agent.events;

import java.util.ArrayList;
import java.util.List;

import dev.agenthub.agent.owners.ChannelOwnerStore;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.support.engine.EngineConfiguration;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Puts {@link AgentChannelRouting} in front of the engine for agent-service's own beans.
 * An auto-configuration after the engine's, so the engine (which backs off when any
 * {@link Broker} exists) is created first — in this context, or in the parent context of
 * the single-process hub — and only in agent-service's context (it has an
 * {@link AgentStore}).
 */
@AutoConfiguration(after = EngineConfiguration.class)
@ConditionalOnBean(AgentStore.class)
public class AgentRoutingConfiguration {

	static final String BEAN = "agentChannelRouting";

	@Bean(BEAN)
	@Primary
	AgentChannelRouting agentChannelRouting(ListableBeanFactory beans, AgentStore agents, ChannelOwnerStore owners) {
		List<String> engines = new ArrayList<>();
		for (String name : BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beans, Broker.class)) {
			if (!name.equals(BEAN)) {
				engines.add(name);
			}
		}
		if (engines.size() != 1) {
			throw new IllegalStateException("expected one engine Broker under the agent routing, found " + engines);
		}
		return new AgentChannelRouting(beans.getBean(engines.get(0), Broker.class), agents, owners);
	}

}
