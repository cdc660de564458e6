package dev.agenthub.sidecar;

import java.util.Map;

import dev.agenthub.agentclient.AgentClient;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.event.TaskState;
import dev.agenthub.sidecar.command.TaskReporter;
import dev.agenthub.sidecar.tab.TabReporter;

/**
 * Sends task and tab events through the agent client (set once it is built, since the
 * client needs its handler first).
 */
final class ClientReporter implements TaskReporter, TabReporter {

	private volatile AgentClient client;

	void client(AgentClient client) {
		this.client = client;
	}

	@Override
	public void output(String taskId, String text, boolean isError) {
		this.client.taskOutput(taskId, text, isError);
	}

	@Override
	public void status(String taskId, TaskState status, Integer exitCode, String error) {
		this.client.taskStatus(taskId, status, exitCode, error);
	}

	@Override
	public void started(String tabId, String command) {
		this.client.publish(MessageTypes.TAB_STARTED, Map.of("tabId", tabId, "command", command));
	}

	@Override
	public void output(String tabId, String text, String stream) {
		this.client.tabOutput(tabId, text, stream);
	}

	@Override
	public void stopped(String tabId, int exitCode) {
		this.client.publish(MessageTypes.TAB_STOPPED, Map.of("tabId", tabId, "exitCode", exitCode));
	}

}
