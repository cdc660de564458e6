package dev.agenthub.agentclient.protocol;

/**
 * Status of a command task in {@code status} messages: {@code running} when it starts,
 * then exactly one of the terminal states.
 */
public enum TaskStatus {

	RUNNING("running"), COMPLETED("completed"), FAILED("failed"), CANCELLED("cancelled");

	private final String wireName;

	TaskStatus(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The status's name on the wire.
	 * @return the wire name
	 */
	public String wireName() {
		return this.wireName;
	}

}
