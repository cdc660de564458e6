package dev.agenthub.launcher;

import dev.agenthub.agent.AgentServiceApplication;
import dev.agenthub.broadcast.BroadcastServiceApplication;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.integration.IntegrationServiceApplication;

/**
 * The services of the hub, in start order (the durable log first, so that nothing
 * published during start-up waits long for it), each with its port and the variable that
 * overrides it.
 */
enum HubService {

	BROADCAST("broadcast-service", BroadcastServiceApplication.class, 8082, "HUB_BROADCAST_PORT"),
	AGENT("agent-service", AgentServiceApplication.class, 8081, "HUB_AGENT_PORT"),
	GATEWAY("gateway-service", GatewayServiceApplication.class, 8080, "HUB_GATEWAY_PORT"),
	INTEGRATION("integration-service", IntegrationServiceApplication.class, 8083, "HUB_INTEGRATION_PORT");

	private final String serviceName;

	private final Class<?> application;

	private final int defaultPort;

	private final String portVariable;

	HubService(String serviceName, Class<?> application, int defaultPort, String portVariable) {
		this.serviceName = serviceName;
		this.application = application;
		this.defaultPort = defaultPort;
		this.portVariable = portVariable;
	}

	/**
	 * The services named in a comma-separated list ({@code gateway,agent,broadcast,
	 * integration}), in start order; all of them when the list is empty.
	 */
	static java.util.List<HubService> selected(String names) {
		if (names == null || names.isBlank()) {
			return java.util.List.of(values());
		}
		java.util.Set<String> wanted = new java.util.HashSet<>();
		for (String name : names.split(",")) {
			wanted.add(name.trim().toLowerCase(java.util.Locale.ROOT));
		}
		java.util.List<HubService> services = new java.util.ArrayList<>();
		for (HubService service : values()) {
			if (wanted.remove(service.name().toLowerCase(java.util.Locale.ROOT))) {
				services.add(service);
			}
		}
		if (!wanted.isEmpty()) {
			throw new IllegalArgumentException("HUB_SERVICES names unknown services " + wanted
					+ " (known: gateway, agent, broadcast, integration)");
		}
		return services;
	}

	String serviceName() {
		return this.serviceName;
	}

	Class<?> application() {
		return this.application;
	}

	int port() {
		String value = System.getenv(this.portVariable);
		return (value != null && !value.isBlank()) ? Integer.parseInt(value.trim()) : this.defaultPort;
	}

}
