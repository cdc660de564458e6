package dev.agenthub.agentclient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.agentclient.protocol.CommandRequest;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.contracts.event.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Parses server messages and routes them to the session (protocol control) or the
 * {@link AgentHandler} (requests). Malformed requests are logged and, when they carry a
 * task id, answered with a {@code failed} status.
 */
final class InboundDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(InboundDispatcher.class);

	private final AgentClient client;

	private final AgentSession session;

	InboundDispatcher(AgentClient client, AgentSession session) {
		this.client = client;
		this.session = session;
	}

	void dispatch(String text) {
		JsonNode message;
		try {
			message = AgentJson.MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring malformed message from the hub: {}", ex.getOriginalMessage());
			return;
		}
		String type = message.path("type").asString("");
		JsonNode data = message.path("data");
		if (!data.isObject()) {
			data = AgentJson.MAPPER.createObjectNode();
		}
		AgentHandler handler = this.client.handler();
		switch (type) {
			case MessageTypes.REGISTERED -> this.session.registered(data.path("sessionId").asString(null),
					Duration.ofMillis(data.path("heartbeatIntervalMs")
						.asLong(this.client.config().defaultHeartbeatInterval().toMillis())));
			case MessageTypes.PING -> this.session.pong();
			case MessageTypes.PONG -> {
				// answer to a ping we never send on purpose; nothing to do
			}
			case MessageTypes.ERROR -> {
				String code = data.path("code").asString("");
				String error = data.path("error").asString("");
				logger.warn("Hub reported an error: {} {}", code, error);
				this.client.safely(() -> handler.onServerError(code, error));
			}
			case MessageTypes.COMMAND -> command(data, handler);
			case MessageTypes.CANCEL -> {
				String taskId = data.path("taskId").asString(null);
				if (taskId != null && this.client.unknownTask(taskId)) {
					// Never received here and not running: say so, or the hub would wait
					// for a status that never comes.
					this.client.taskStatus(taskId, TaskState.CANCELLED, null, "not running on this agent");
				}
				else if (taskId != null) {
					this.client.safely(() -> handler.onCancel(taskId));
				}
			}
			case MessageTypes.TAB_START -> tabStart(data, handler);
			case MessageTypes.TAB_STOP -> {
				String tabId = data.path("tabId").asString(null);
				if (tabId != null) {
					this.client.safely(() -> handler.onTabStop(tabId));
				}
			}
			case MessageTypes.TAB_INPUT -> {
				String tabId = data.path("tabId").asString(null);
				String typed = data.path("data").asString(null);
				if (tabId != null && typed != null && typed.length() <= MessageTypes.TAB_INPUT_MAX_CHARS) {
					this.client.safely(() -> handler.onTabInput(tabId, typed));
				}
				else {
					logger.warn("Ignoring tab:input without tabId, without data or over {} characters",
							MessageTypes.TAB_INPUT_MAX_CHARS);
				}
			}
			case MessageTypes.AGENT_UPDATE -> {
				String required = data.path("requiredVersion").asString("");
				this.client.safely(() -> handler.onAgentUpdate(required));
			}
			default -> {
				JsonNode finalData = data;
				this.client.safely(() -> handler.onMessage(type, finalData));
			}
		}
	}

	private void command(JsonNode data, AgentHandler handler) {
		String taskId = text(data, "taskId");
		if (taskId == null) {
			logger.warn("Ignoring a command without taskId");
			return;
		}
		String command = text(data, "command");
		JsonNode timeout = data.path("timeoutSeconds");
		String problem = null;
		if (command == null) {
			problem = "command is required";
		}
		else if (!data.path("args").isMissingNode() && !data.path("args").isNull() && !data.path("args").isArray()) {
			problem = "args must be an array of strings";
		}
		else if (!timeout.isMissingNode() && !timeout.isNull()
				&& (!timeout.canConvertToInt() || timeout.asInt() <= 0)) {
			problem = "timeoutSeconds must be a positive integer";
		}
		if (!this.client.firstTimeTask(taskId)) {
			logger.debug("Ignoring repeated command {}", taskId);
			return;
		}
		if (problem != null) {
			this.client.taskStatus(taskId, TaskState.FAILED, null, "invalid command: " + problem);
			return;
		}
		Integer timeoutSeconds = (timeout.isMissingNode() || timeout.isNull()) ? null : timeout.asInt();
		CommandRequest request = new CommandRequest(taskId, command, strings(data.path("args")), text(data, "cwd"),
				env(data.path("env")), timeoutSeconds);
		this.client.safely(() -> handler.onCommand(request));
	}

	private void tabStart(JsonNode data, AgentHandler handler) {
		String tabId = text(data, "tabId");
		String command = text(data, "command");
		if (tabId == null || command == null) {
			logger.warn("Ignoring tab:start without tabId or command");
			return;
		}
		TabStartRequest request = new TabStartRequest(tabId, command, strings(data.path("args")), text(data, "cwd"));
		this.client.safely(() -> handler.onTabStart(request));
	}

	private static String text(JsonNode data, String field) {
		JsonNode node = data.path(field);
		if (!node.isString() || node.asString().isEmpty()) {
			return null;
		}
		return node.asString();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		if (array.isArray()) {
			array.forEach((element) -> values.add(element.asString()));
		}
		return values;
	}

	private static Map<String, String> env(JsonNode object) {
		Map<String, String> values = new LinkedHashMap<>();
		if (object.isObject()) {
			object.properties().forEach((entry) -> values.put(entry.getKey(), entry.getValue().asString()));
		}
		return values;
	}

}
