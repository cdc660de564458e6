package dev.agenthub.contracts.event;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The states a command task passes through: {@code queued} until the agent has it,
 * {@code running} once it started, then exactly one terminal state.
 */
public enum TaskState {

	QUEUED("queued"), RUNNING("running"), COMPLETED("completed"), FAILED("failed"), CANCELLED("cancelled");

	/** Every state's wire name. */
	public static final Set<String> WIRE_NAMES = Stream.of(values())
		.map(TaskState::wireName)
		.collect(Collectors.toUnmodifiableSet());

	private final String wireName;

	TaskState(String wireName) {
		this.wireName = wireName;
	}

	/** The state's name on the wire, e.g. {@code completed}. */
	public String wireName() {
		return this.wireName;
	}

	/** Whether a task in this state can change no more. */
	public boolean terminal() {
		return this != QUEUED && this != RUNNING;
	}

	/**
	 * Whether a task whose state has this wire name can change no more ({@code false} for
	 * a name that is no state).
	 */
	public static boolean terminal(String wireName) {
		TaskState state = of(wireName);
		return state != null && state.terminal();
	}

	/** The state of a wire name, or {@code null} for none. */
	public static TaskState of(String wireName) {
		for (TaskState state : values()) {
			if (state.wireName.equals(wireName)) {
				return state;
			}
		}
		return null;
	}

}
