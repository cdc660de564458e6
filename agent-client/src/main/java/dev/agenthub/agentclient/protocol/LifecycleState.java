package dev.agenthub.agentclient.protocol;

/**
 * Lifecycle of the workspace as the agent reports it in {@code lifecycle} events and
 * heartbeats.
 */
public enum LifecycleState {

	CREATED("created"), STARTING("starting"), READY("ready"), START_ERROR("start_error"),
	SHUTTING_DOWN("shutting_down"), OFF("off");

	private final String wireName;

	LifecycleState(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The state's name on the wire, e.g. {@code shutting_down}.
	 * @return the wire name
	 */
	public String wireName() {
		return this.wireName;
	}

}
