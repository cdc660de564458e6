package dev.agenthub.contracts.event;

import java.util.Set;

/**
 * {@code tab:output}: a chunk of a terminal tab's output.
 *
 * @param tabId the tab
 * @param data the output text
 * @param stream {@code stdout} or {@code stderr}; optional
 */
public record TabOutput(String tabId, String data, String stream) implements EventPayload {

	private static final Set<String> STREAMS = Set.of("stdout", "stderr");

	public TabOutput {
		Check.id(tabId, "tabId");
		Check.present(data, "data");
		Check.optionalOneOf(stream, "stream", STREAMS);
	}

}
