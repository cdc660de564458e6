package dev.agenthub.broker;

import java.util.function.Consumer;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The channel engine.
 * <p>
 * Guarantees, for every implementation:
 * <ul>
 * <li><b>Atomic publish</b>: assigning the channel's next offset, appending to its
 * bounded history, handing the event to the durable {@link LogFeed} and delivering it to
 * subscribers happen as one step; no observer sees one without the others.</li>
 * <li><b>Offsets</b>: per channel, within an epoch, gapless and increasing from 1, also
 * under concurrent publishers on any number of nodes.</li>
 * <li><b>Epoch</b>: changes when the channel's state is lost (e.g. Redis flushed, its
 * keys expired, a replica that took over lacks the latest writes, or the memory engine
 * forgot an idle channel); offsets then restart at 1.</li>
 * <li><b>Bounded</b>: a channel's history is bounded in events and in bytes; idle
 * channels are forgotten.</li>
 * <li><b>Order</b>: a listener sees a channel's events in offset order, one at a time.
 * Delivery is at most once: an event published while a node's link to the engine is down
 * is not delivered live; listeners detect the jump in offsets and read
 * {@link #history}.</li>
 * <li><b>Serialize once</b>: the event's JSON is built once per publish and handed to
 * listeners as {@link Publication#json()}.</li>
 * </ul>
 */
public interface Broker {

	/**
	 * Publishes an event.
	 * @param channel a valid channel name
	 * @param type the event type (already validated by the caller)
	 * @param data the payload object
	 * @return the published event, with its offset and epoch
	 */
	Mono<Publication> publish(String channel, String type, JsonNode data);

	/**
	 * The channel's current epoch and latest offset; creates the channel's epoch when it
	 * has none yet, so that a subscriber gets a stable position to recover from. An
	 * <em>ephemeral</em> channel (the implicit {@code client:} channels) is not created:
	 * it answers a virtual epoch with offset 0 that changes over time (at least once per
	 * the life of the channel's state), so that a subscriber never takes a state it
	 * missed for an empty one; its first publish starts a real epoch.
	 */
	Mono<StreamPosition> position(String channel);

	/**
	 * Events after {@code since} from the bounded history window, oldest first.
	 * @param channel the channel
	 * @param since the offset after which to read (0 for all)
	 * @param limit the most events to return
	 */
	Mono<History> history(String channel, long since, int limit);

	/**
	 * As {@link #history}, but for a channel that exists: empty when the channel has no
	 * epoch (never published or read, or its state is gone), and nothing is created for
	 * it. For lookups that a client's made-up channel name can reach, which must not
	 * leave state behind.
	 * @param channel the channel
	 * @param since the offset after which to read (0 for all)
	 * @param limit the most events to return
	 */
	Mono<History> existingHistory(String channel, long since, int limit);

	/**
	 * Delivers the channel's live events to {@code listener}. The returned {@code Mono}
	 * completes once the subscription is active (events published after that are
	 * delivered). Disposing the registration stops delivery and frees the node's
	 * resources for the channel when it was the last listener.
	 * @param channel the channel
	 * @param listener called in offset order, never concurrently for one channel; must
	 * not block
	 */
	Mono<Disposable> subscribe(String channel, Consumer<Publication> listener);

	/**
	 * A listener that is also told when the node's subscription to its channel was made
	 * again after it was lost (the engine's Redis connection came back, the channel's
	 * slot moved to another master): events published in between are in the channel's
	 * history but did not reach the listener, and no later event may come to show the
	 * gap, so the listener reads the history after what it has (a read that finds nothing
	 * new costs one call). A node's channels catch up a few at a time.
	 */
	interface CatchUpListener extends Consumer<Publication> {

		/**
		 * Called as soon as the subscription was made again (events may flow before the
		 * catch-up's turn comes); must not block.
		 * @return the catch-up's read, which the engine starts when the channel's turn
		 * comes (a few at a time) and again when it fails: completes once done, errors
		 * when the history could not be read
		 */
		Mono<Void> catchUp();

	}

}
