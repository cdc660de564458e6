package dev.agenthub.sidecar;

import java.util.Collection;

import dev.agenthub.agentclient.AgentHandler;
import dev.agenthub.agentclient.AgentState;
import dev.agenthub.agentclient.protocol.CommandRequest;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.sidecar.command.CommandRunner;
import dev.agenthub.sidecar.tab.TabRunner;
import dev.agenthub.sidecar.upload.FileReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Routes the hub's requests to the command and tab runners (which do their work on their
 * own threads, so the I/O thread never blocks).
 */
final class SidecarHandler implements AgentHandler {

	private static final Logger logger = LoggerFactory.getLogger(SidecarHandler.class);

	private final CommandRunner commands;

	private final TabRunner tabs;

	private final String version;

	private final Runnable onStopped;

	private final FileReceiver files;

	SidecarHandler(CommandRunner commands, TabRunner tabs, String version, Runnable onStopped, FileReceiver files) {
		this.commands = commands;
		this.tabs = tabs;
		this.version = version;
		this.onStopped = onStopped;
		this.files = files;
	}

	@Override
	public void onMessage(String type, JsonNode data) {
		if (FileReceiver.handles(type)) {
			this.files.onMessage(type, data);
		}
		else {
			logger.debug("Ignoring message type {}", type);
		}
	}

	@Override
	public void onStateChange(AgentState previous, AgentState current) {
		if (current == AgentState.STOPPED) {
			this.onStopped.run();
		}
	}

	@Override
	public void onCommand(CommandRequest command) {
		this.commands.run(command);
	}

	@Override
	public Collection<String> runningTasks() {
		return this.commands.knownTasks();
	}

	@Override
	public void onCancel(String taskId) {
		if (!this.commands.cancel(taskId)) {
			logger.debug("Cancel for task {} which is not running", taskId);
		}
	}

	@Override
	public void onTabStart(TabStartRequest request) {
		Thread.ofVirtual().name("tab-start-" + request.tabId()).start(() -> this.tabs.start(request));
	}

	@Override
	public void onTabStop(String tabId) {
		if (!this.tabs.stop(tabId)) {
			logger.debug("tab:stop for tab {} which is not running", tabId);
		}
	}

	@Override
	public void onTabInput(String tabId, String data) {
		if (!this.tabs.input(tabId, data)) {
			logger.debug("tab:input for tab {} which is not running or not reading its input", tabId);
		}
	}

	@Override
	public void onAgentUpdate(String requiredVersion) {
		logger.warn("The hub requires agent version {}; this agent is {}. Please update the sidecar.", requiredVersion,
				this.version);
	}

	@Override
	public void onServerError(String code, String message) {
		if ("forbidden".equals(code)) {
			logger.error("The hub refused this agent ({}): check HUB_AGENT_TOKEN and HUB_AGENT_WORKSPACE_ID", message);
		}
	}

	@Override
	public void onRegistered(String sessionId, java.time.Duration heartbeatInterval) {
		logger.info("Registered with the hub (session {}, heartbeat every {} ms)", sessionId,
				heartbeatInterval.toMillis());
	}

}
