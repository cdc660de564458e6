package dev.agenthub.contracts.message;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ErrorCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A control message a server sends on a raw JSON socket (replies, errors, acks):
 * {@code {"type":"subscribed","id":7,"data":{...},"timestamp":"..."}}. Events use
 * {@link dev.agenthub.contracts.event.HubEvent} instead.
 *
 * @param type the message type
 * @param id the id of the client message this answers, or {@code null}
 * @param data the data; may be {@code null}
 * @param timestamp when it was sent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "id", "data", "timestamp" })
public record ServerMessage(String type, JsonNode id, JsonNode data, Instant timestamp) {

	/** A message of the given type with data. */
	public static ServerMessage of(String type, JsonNode id, JsonNode data) {
		return new ServerMessage(type, id, data, Instant.now());
	}

	/** An {@code error} message: {@code {"code":..,"error":..}}. */
	public static ServerMessage error(ErrorCode code, String error, JsonNode id) {
		ObjectNode data = HubJson.object();
		data.put("code", code.code());
		data.put("error", error);
		return of(MessageTypes.ERROR, id, data);
	}

	/** This message as JSON text. */
	public String encode() {
		return HubJson.write(this);
	}

}
