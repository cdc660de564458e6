package dev.agenthub.contracts.event;

/**
 * {@code startup:progress}: a step of the workspace's startup.
 *
 * @param step the step's name
 * @param percent overall progress, 0 to 100
 * @param message a line for people; optional
 */
public record StartupProgress(String step, Number percent, String message) implements EventPayload {

	public StartupProgress {
		Check.text(step, "step");
		Check.range(percent, "percent", 0, 100);
	}

}
