package dev.agenthub.contracts.event;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lifecycle of a workspace as its agent reports it ({@code lifecycle} messages,
 * heartbeats, and {@code workspace:state}).
 */
public enum LifecycleState {

	CREATED("created"), STARTING("starting"), READY("ready"), START_ERROR("start_error"),
	SHUTTING_DOWN("shutting_down"), OFF("off");

	/** Every state's wire name. */
	public static final Set<String> WIRE_NAMES = Stream.of(values())
		.map(LifecycleState::wireName)
		.collect(Collectors.toUnmodifiableSet());

	private final String wireName;

	LifecycleState(String wireName) {
		this.wireName = wireName;
	}

	/** The state's name on the wire, e.g. {@code shutting_down}. */
	public String wireName() {
		return this.wireName;
	}

	/** The state of a wire name, or {@code null} for none. */
	public static LifecycleState of(String wireName) {
		for (LifecycleState state : values()) {
			if (state.wireName.equals(wireName)) {
				return state;
			}
		}
		return null;
	}

}
