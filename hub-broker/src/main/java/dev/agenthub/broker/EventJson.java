package dev.agenthub.broker;

import java.time.Instant;

import dev.agenthub.contracts.codec.HubJson;
import tools.jackson.databind.JsonNode;

/**
 * Builds an event's raw-protocol JSON in two parts around the offset and epoch, which
 * only the engine knows at publish time: {@code head + offset + ",\"epoch\":\"" + epoch +
 * tail}. The result is byte-for-byte what {@link HubJson#encodeEvent} produces.
 *
 * @param head {@code {"type":...,"channel":...,"offset":} @param tail {@code
 * ","data":...,"timestamp":"..."}}
 */
public record EventJson(String head, String tail) {

	/** Encodes the parts of an event (the payload once). */
	public static EventJson of(String channel, String type, JsonNode data, Instant timestamp) {
		String head = "{\"type\":" + HubJson.write(type) + ",\"channel\":" + HubJson.write(channel) + ",\"offset\":";
		String tail = "\",\"data\":" + HubJson.write(data) + ",\"timestamp\":\"" + timestamp + "\"}";
		return new EventJson(head, tail);
	}

	/** The whole event JSON for an offset and epoch. */
	public String assemble(long offset, String epoch) {
		return this.head + offset + ",\"epoch\":\"" + epoch + this.tail;
	}

}
