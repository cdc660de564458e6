package dev.agenthub.agentclient.outbound;

/**
 * The two kinds of output that are coalesced: terminal-tab output and task output.
 */
public enum ChunkKind {

	/** {@code tab:output {tabId, data, stream}}. */
	TAB_OUTPUT("tab:output", "tabId", "data"),

	/** {@code output {taskId, output, isError}}. */
	TASK_OUTPUT("output", "taskId", "output");

	private final String type;

	private final String keyField;

	private final String textField;

	ChunkKind(String type, String keyField, String textField) {
		this.type = type;
		this.keyField = keyField;
		this.textField = textField;
	}

	public String type() {
		return this.type;
	}

	public String keyField() {
		return this.keyField;
	}

	public String textField() {
		return this.textField;
	}

}
