package dev.agenthub.contracts.event;

/**
 * {@code tab:started}: a terminal tab began running.
 *
 * @param tabId the tab
 * @param command what the tab runs
 */
public record TabStarted(String tabId, String command) implements EventPayload {

	public TabStarted {
		Check.id(tabId, "tabId");
		Check.text(command, "command");
	}

}
