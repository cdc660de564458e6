package dev.agenthub.broker;

import dev.agenthub.contracts.event.HubEvent;

/**
 * A published event together with its raw-protocol JSON, encoded once per publish so that
 * no recipient encodes it again.
 *
 * @param event the event
 * @param json {@code event} in its raw-protocol JSON form
 */
public record Publication(HubEvent event, String json) {

	/** The event's offset in its channel. */
	public long offset() {
		return this.event.offset();
	}

}
