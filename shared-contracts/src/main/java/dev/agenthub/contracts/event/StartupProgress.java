package dev.agenthub.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agenthub.contracts.error.ContractViolation;

/**
 * {@code startup:progress}: a step of the workspace's startup, from the hub's agents
 * ({@code {step, percent, message}}) or from a seed 000 backend, which names the
 * workspace and may count progress as {@code progress}. Fields the hub does not know are
 * passed through untouched.
 *
 * @param step the step's name; optional when a percentage or message says enough
 * @param percent overall progress, 0 to 100; optional
 * @param message a line for people; optional
 * @param workspaceId the workspace, when a backend publishes it; optional
 * @param progress overall progress, 0 to 100, the seed 000 name; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartupProgress(String step, Number percent, String message, String workspaceId,
		Number progress) implements EventPayload {

	public StartupProgress {
		if (step == null && percent == null && message == null && progress == null) {
			throw ContractViolation.badRequest("startup:progress needs step, percent, progress or message");
		}
		if (step != null) {
			Check.text(step, "step");
		}
		if (percent != null) {
			Check.range(percent, "percent", 0, 100);
		}
		if (progress != null) {
			Check.range(progress, "progress", 0, 100);
		}
		if (workspaceId != null) {
			Check.id(workspaceId, "workspaceId");
		}
	}

	/** The hub agents' shape. */
	public StartupProgress(String step, Number percent, String message) {
		this(step, percent, message, null, null);
	}

}
