package dev.agenthub.gateway.subscription;

import dev.agenthub.broker.Publication;

/**
 * Something on a channel that live and recovered events are delivered to: a raw WebSocket
 * or a Socket.IO socket. The fan-out hands every member the same {@link EncodedFrames},
 * so each protocol's encoding is made once per publish, never once per recipient.
 */
public interface Subscriber {

	/**
	 * Queues one event; a slow reader is closed by its transport, never waited for.
	 * @param publication the event
	 * @param frames its encodings, shared with the other recipients
	 */
	void deliver(Publication publication, EncodedFrames frames);

}
