package dev.agenthub.contracts.event;

/**
 * {@code tab:stopped}: a terminal tab ended.
 *
 * @param tabId the tab
 * @param exitCode its exit code; {@code null} when it was killed without one
 */
public record TabStopped(String tabId, Integer exitCode) implements EventPayload {

	public TabStopped {
		Check.id(tabId, "tabId");
	}

}
