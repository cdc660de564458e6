package dev.agenthub.agentclient;

import tools.jackson.databind.node.ObjectNode;

/**
 * Adds the agent's current state to each {@code heartbeat}'s data, e.g. {@code tabs},
 * {@code tailscale}, {@code chrome}. The client sets {@code lifecycle} itself and
 * {@code tabs: []} when the contributor leaves it out. Called on the connection's I/O
 * thread at every heartbeat: keep it cheap and non-blocking.
 */
@FunctionalInterface
public interface HeartbeatContributor {

	/**
	 * Fills in heartbeat data.
	 * @param data the heartbeat's {@code data} object
	 */
	void contribute(ObjectNode data);

}
