package dev.agenthub.agent.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated command for an agent: argv (never a shell string), working directory,
 * environment, time limit and task id.
 *
 * @param taskId the task id (given, or generated)
 * @param command the executable
 * @param args its arguments
 * @param cwd the working directory, or {@code null} for the agent's default
 * @param env environment variables to add
 * @param timeoutSeconds the time limit, or {@code null}
 */
public record CommandRequest(String taskId, String command, List<String> args, String cwd, Map<String, String> env,
		Integer timeoutSeconds) {

	private static final int MAX_TEXT = 4096;

	private static final int MAX_ARGS = 1000;

	private static final int MAX_ENV = 200;

	private static final int MAX_TIMEOUT = 7 * 24 * 3600;

	private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/**
	 * Reads and checks a request body.
	 * @throws ContractViolation naming the offending field
	 */
	public static CommandRequest parse(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ContractViolation.badRequest(
					"the body must be a JSON object {command, args[], cwd, env?, " + "timeoutSeconds?, taskId?}");
		}
		String command = text(body, "command", true);
		if (command.isBlank()) {
			throw ContractViolation.badRequest("command must not be blank");
		}
		List<String> args = new ArrayList<>();
		JsonNode argsNode = body.get("args");
		if (argsNode != null && !argsNode.isNull()) {
			if (!argsNode.isArray()) {
				throw ContractViolation.badRequest("args must be an array of strings (argv; no shell is used)");
			}
			if (argsNode.size() > MAX_ARGS) {
				throw ContractViolation.badRequest("args has more than " + MAX_ARGS + " elements");
			}
			for (JsonNode arg : argsNode) {
				if (!arg.isString()) {
					throw ContractViolation.badRequest("args must be an array of strings, found " + arg.getNodeType());
				}
				args.add(limited(arg.asString(), "args[]"));
			}
		}
		String cwd = text(body, "cwd", false);
		Map<String, String> env = new LinkedHashMap<>();
		JsonNode envNode = body.get("env");
		if (envNode != null && !envNode.isNull()) {
			if (!envNode.isObject()) {
				throw ContractViolation.badRequest("env must be an object of string values");
			}
			if (envNode.size() > MAX_ENV) {
				throw ContractViolation.badRequest("env has more than " + MAX_ENV + " variables");
			}
			for (Map.Entry<String, JsonNode> entry : envNode.properties()) {
				if (!ENV_NAME.matcher(entry.getKey()).matches()) {
					throw ContractViolation
						.badRequest("env name '" + entry.getKey() + "' is not a valid variable name");
				}
				if (!entry.getValue().isString()) {
					throw ContractViolation.badRequest("env." + entry.getKey() + " must be a string");
				}
				env.put(entry.getKey(), limited(entry.getValue().asString(), "env." + entry.getKey()));
			}
		}
		Integer timeout = null;
		JsonNode timeoutNode = body.get("timeoutSeconds");
		if (timeoutNode != null && !timeoutNode.isNull()) {
			if (!timeoutNode.isIntegralNumber() || timeoutNode.asLong() < 1 || timeoutNode.asLong() > MAX_TIMEOUT) {
				throw ContractViolation.badRequest("timeoutSeconds must be a whole number from 1 to " + MAX_TIMEOUT);
			}
			timeout = timeoutNode.asInt();
		}
		String taskId = text(body, "taskId", false);
		if (taskId == null) {
			taskId = UUID.randomUUID().toString();
		}
		else {
			Channel.task(taskId);
		}
		return new CommandRequest(taskId, command, List.copyOf(args), cwd, Map.copyOf(env), timeout);
	}

	/** The data of the {@code command} message the agent gets. */
	public ObjectNode toAgentData() {
		ObjectNode data = HubJson.object();
		data.put("taskId", this.taskId);
		data.put("command", this.command);
		this.args.forEach(data.putArray("args")::add);
		if (this.cwd != null) {
			data.put("cwd", this.cwd);
		}
		ObjectNode env = data.putObject("env");
		this.env.forEach(env::put);
		if (this.timeoutSeconds != null) {
			data.put("timeoutSeconds", this.timeoutSeconds);
		}
		return data;
	}

	private static String text(JsonNode body, String field, boolean required) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				throw ContractViolation.badRequest(field + " is required (a string)");
			}
			return null;
		}
		if (!node.isString()) {
			throw ContractViolation.badRequest(field + " must be a string");
		}
		return limited(node.asString(), field);
	}

	private static String limited(String value, String field) {
		if (value.length() > MAX_TEXT) {
			throw ContractViolation.badRequest(field + " is longer than " + MAX_TEXT + " characters");
		}
		return value;
	}

}
