package dev.agenthub.gateway.subscription;

import dev.agenthub.support.connection.EncodedEvent;

/**
 * Something on a channel that live and recovered events are delivered to: a raw WebSocket
 * or a Socket.IO socket. The fan-out hands every member the same {@link EncodedEvent}, so
 * each protocol's encoding is made once per publish, never once per recipient.
 */
public interface Subscriber {

	/**
	 * Queues one event; a slow reader is closed by its transport, never waited for.
	 * @param event the event with its encodings, shared with the other recipients
	 * @return whether it was handed to the transport ({@code false}: closed, not sent)
	 */
	boolean deliver(EncodedEvent event);

}
