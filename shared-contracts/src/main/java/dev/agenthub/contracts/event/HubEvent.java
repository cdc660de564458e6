package dev.agenthub.contracts.event;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import tools.jackson.databind.JsonNode;

/**
 * An event as clients see it on the raw JSON protocol:
 * {@code {"type":"tab:output","channel":"workspace:w1","offset":17,"epoch":"...","data":{...},"timestamp":"..."}}.
 * <p>
 * {@code offset} is gapless and increasing per channel; {@code epoch} changes when the
 * channel's history is lost, so a client can tell that its offset means nothing any more.
 *
 * @param type the event name from the catalogue (see {@link EventType})
 * @param channel the channel name
 * @param offset the event's offset in the channel, starting at 1
 * @param epoch the channel's epoch
 * @param data the payload
 * @param timestamp when the hub accepted the event
 */
@JsonPropertyOrder({ "type", "channel", "offset", "epoch", "data", "timestamp" })
public record HubEvent(String type, String channel, long offset, String epoch, JsonNode data, Instant timestamp) {

	public HubEvent {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(epoch, "epoch");
		Objects.requireNonNull(data, "data");
		Objects.requireNonNull(timestamp, "timestamp");
	}

}
