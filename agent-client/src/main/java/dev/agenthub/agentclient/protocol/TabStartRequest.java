package dev.agenthub.agentclient.protocol;

import java.util.List;

/**
 * A {@code tab:start} from the server: start a long-lived process whose output is
 * reported as {@code tab:output} events of {@code tabId}.
 *
 * @param tabId the tab id
 * @param command the executable
 * @param args its arguments, never {@code null}
 * @param cwd working directory, or {@code null} for the agent's default
 */
public record TabStartRequest(String tabId, String command, List<String> args, String cwd) {

	public TabStartRequest {
		args = (args != null) ? List.copyOf(args) : List.of();
	}

}
