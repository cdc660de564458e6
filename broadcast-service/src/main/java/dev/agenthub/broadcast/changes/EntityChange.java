package dev.agenthub.broadcast.changes;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventType;
import tools.jackson.databind.JsonNode;

/**
 * One change of an entity, as seed 003's sync protocol carries it.
 *
 * @param table the entity's table, e.g. {@code tasks}
 * @param recordId the entity's id
 * @param action {@code insert}, {@code update} or {@code delete}
 * @param data the entity's new state (absent for most deletes)
 * @param timestamp its position in the change log (ISO-8601): strictly increasing in the
 * order changes were committed
 * @param channel the channel it was published on
 * @param event the event name it was published as, e.g. {@code task.statusChanged}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntityChange(String table, String recordId, String action, JsonNode data, String timestamp,
		String channel, String event) {

	private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

	/** Longest record id. */
	static final int MAX_RECORD_ID = 255;

	/**
	 * A change a backend asks to record, validated (every field is untrusted).
	 *
	 * @param channel the channel's canonical name
	 * @param event the event name
	 * @param table the table
	 * @param recordId the record id
	 * @param action the action, lower case
	 * @param data the payload, or {@code null}
	 */
	public record Request(String channel, String event, String table, String recordId, String action, JsonNode data) {

		/**
		 * Validates a request body {@code {channel, event, table, recordId, action,
		 * data}}.
		 */
		static Request of(JsonNode body) {
			if (body == null || !body.isObject()) {
				throw ContractViolation
					.badRequest("body must be a JSON object {channel, event, table, recordId, action, data}");
			}
			String channel = Channel.parse(text(body, "channel")).name();
			String event = EventType.checkName(text(body, "event"));
			String table = text(body, "table");
			if (!TABLE.matcher(table).matches()) {
				throw ContractViolation.badRequest(
						"table must be 1-128 letters, digits, '_', '.' or '-'" + " starting with a letter or '_'");
			}
			String recordId = text(body, "recordId");
			if (recordId.length() > MAX_RECORD_ID) {
				throw ContractViolation.badRequest("recordId is longer than " + MAX_RECORD_ID + " characters");
			}
			String action = text(body, "action").toLowerCase(Locale.ROOT);
			if (!action.equals("insert") && !action.equals("update") && !action.equals("delete")) {
				throw ContractViolation.badRequest("action must be insert, update or delete");
			}
			JsonNode data = body.get("data");
			if (data != null && data.isNull()) {
				data = null;
			}
			if (data == null && !action.equals("delete")) {
				throw ContractViolation.badRequest("data is required for " + action + " (a JSON object)");
			}
			// A delete without data publishes an empty object: it must pass too, else the
			// change would be recorded and its publish then refused.
			HubJson.validate(event, (data != null) ? data : HubJson.object());
			return new Request(channel, event, table, recordId, action, data);
		}

		private static String text(JsonNode body, String field) {
			JsonNode node = body.get(field);
			if (node == null || !node.isString() || node.asString().isBlank()) {
				throw ContractViolation.badRequest(field + " is required (a string)");
			}
			return node.asString();
		}

		EntityChange at(Instant timestamp) {
			return new EntityChange(this.table, this.recordId, this.action, this.data, timestamp.toString(),
					this.channel, this.event);
		}

	}

}
