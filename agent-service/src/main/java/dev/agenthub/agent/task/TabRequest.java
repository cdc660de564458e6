package dev.agenthub.agent.task;

import java.util.List;
import java.util.UUID;

import dev.agenthub.contracts.Limits;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.MessageTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated terminal tab for an agent ({@code tab:start}): a long-lived process whose
 * output the agent reports as {@code tab:output} of {@code tabId} on the workspace's
 * channel. {@code command}, {@code args} and {@code cwd} follow a command's rules
 * ({@link CommandRequest}): argv, never a shell string, each string at most 4,096
 * characters, and the whole {@code tab:start} data within
 * {@link CommandRequest#MAX_AGENT_DATA_BYTES} ({@code too_large} otherwise).
 *
 * @param tabId the tab's id: the client's (see {@link #checkTabId}) or one the hub
 * generated
 * @param command the executable
 * @param args its arguments
 * @param cwd the working directory, or {@code null} for the agent's default
 */
public record TabRequest(String tabId, String command, List<String> args, String cwd) {

	/**
	 * Reads and checks a request body {@code {tabId?, command, args?, cwd?}}.
	 * @throws ContractViolation naming the offending field
	 */
	public static TabRequest parse(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ContractViolation.badRequest("the body must be a JSON object {command, args[]?, cwd?, tabId?}");
		}
		String tabId = CommandRequest.text(body, "tabId", false);
		tabId = (tabId != null) ? checkTabId(tabId) : UUID.randomUUID().toString();
		String command = CommandRequest.text(body, "command", true);
		if (command.isBlank()) {
			throw ContractViolation.badRequest("command must not be blank");
		}
		TabRequest request = new TabRequest(tabId, command, CommandRequest.args(body),
				CommandRequest.text(body, "cwd", false));
		int size = HubJson.writeBytes(request.toAgentData()).length;
		if (size > CommandRequest.MAX_AGENT_DATA_BYTES) {
			throw new ContractViolation(ErrorCode.TOO_LARGE, "the tab is too large for the agent: " + size
					+ " bytes encoded (command, args, cwd), at most " + CommandRequest.MAX_AGENT_DATA_BYTES);
		}
		return request;
	}

	/**
	 * Checks a tab id a client names: 1 to {@value Limits#MAX_ID_LENGTH} letters, digits,
	 * {@code - _ . @}, as a task id (no separators, nothing an agent could take for a
	 * path). The refusal does not repeat the id.
	 * @return the id
	 * @throws ContractViolation ({@code bad_request}) for any other
	 */
	public static String checkTabId(String tabId) {
		if (!Channel.isValidId(tabId)) {
			throw ContractViolation
				.badRequest("tabId must be 1 to " + Limits.MAX_ID_LENGTH + " characters of letters, digits, - _ . @");
		}
		return tabId;
	}

	/** The data of the {@code tab:start} message the agent gets. */
	public ObjectNode toAgentData() {
		ObjectNode data = HubJson.object();
		data.put("tabId", this.tabId);
		data.put("command", this.command);
		this.args.forEach(data.putArray("args")::add);
		if (this.cwd != null) {
			data.put("cwd", this.cwd);
		}
		return data;
	}

	/**
	 * The data of the {@code tab:input} message for a tab, from a request body
	 * {@code {"data":"ls -la\n"}}: text of at most
	 * {@value MessageTypes#TAB_INPUT_MAX_CHARS} characters ({@code too_large} past that;
	 * a paste larger than that goes in pieces).
	 * @throws ContractViolation for another body
	 */
	public static ObjectNode inputData(String tabId, JsonNode body) {
		JsonNode text = (body != null && body.isObject()) ? body.get("data") : null;
		if (text == null || !text.isString() || text.asString().isEmpty()) {
			throw ContractViolation.badRequest("the body must be a JSON object {data} with the text typed, a string");
		}
		if (text.asString().length() > MessageTypes.TAB_INPUT_MAX_CHARS) {
			throw new ContractViolation(ErrorCode.TOO_LARGE, "data holds " + text.asString().length()
					+ " characters, at most " + MessageTypes.TAB_INPUT_MAX_CHARS + " go in one tab:input");
		}
		ObjectNode data = HubJson.object();
		data.put("tabId", checkTabId(tabId));
		data.put("data", text.asString());
		return data;
	}

	/** The data of the {@code tab:stop} message for a tab. */
	public static ObjectNode stopData(String tabId) {
		ObjectNode data = HubJson.object();
		data.put("tabId", checkTabId(tabId));
		return data;
	}

}
