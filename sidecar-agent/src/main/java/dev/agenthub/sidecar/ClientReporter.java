package dev.agenthub.sidecar;

import java.time.Duration;
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

	/** The longest a pump waits for room before its output may be dropped. */
	static final Duration MAX_WAIT = Duration.ofMinutes(2);

	private volatile AgentClient client;

	void client(AgentClient client) {
		this.client = client;
	}

	@Override
	public void output(String taskId, String text, boolean isError) {
		paced(text);
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
		paced(text);
		this.client.tabOutput(tabId, text, stream);
	}

	/**
	 * Output is read from a process's pipe on a thread of its own: it waits for room in
	 * the outbound queue, so a process writing faster than the hub takes is slowed (it
	 * blocks on its pipe) instead of losing output — the end of a build's log above all
	 * ({@code seq 1 400000} lost 320 KB, its last 42,000 lines among them, when the queue
	 * dropped what did not fit). A connection gone for longer than {@link #MAX_WAIT} lets
	 * output be dropped again, as before, rather than hold the process for ever.
	 */
	private void paced(String text) {
		try {
			this.client.awaitOutputRoom(text.length(), MAX_WAIT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stopped(String tabId, int exitCode) {
		this.client.publish(MessageTypes.TAB_STOPPED, Map.of("tabId", tabId, "exitCode", exitCode));
	}

}
