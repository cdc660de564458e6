package dev.agenthub.broadcast.publish;

import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The one publish path of the API: the caller must be a publisher ({@code service} or
 * {@code admin}, else 403), the channel and the event are validated (400 with the precise
 * reason), then the event goes through the {@link Broker}, which logs it durably.
 */
@Component
public class Publisher {

	private final Broker broker;

	public Publisher(Broker broker) {
		this.broker = broker;
	}

	/**
	 * Publishes an event for the calling backend.
	 * @param channel the channel name
	 * @param type the event type
	 * @param data the payload (a JSON object)
	 * @return where the event stands
	 */
	public Mono<PublishResult> publish(String channel, String type, JsonNode data) {
		return CurrentPrincipal.publisher().flatMap((principal) -> send(Event.validated(channel, type, data)));
	}

	/**
	 * Publishes validated events for the calling backend, one after another in the given
	 * order (so events of one channel get increasing offsets in that order).
	 * @param events the events
	 * @return where each stands, in order; an engine failure ends the flux with the
	 * events before it published
	 */
	public Flux<PublishResult> publishAll(List<Event> events) {
		return CurrentPrincipal.publisher().thenMany(Flux.fromIterable(events).concatMap(this::send));
	}

	private Mono<PublishResult> send(Event event) {
		return this.broker.publish(event.channel(), event.type(), event.data())
			.map((publication) -> new PublishResult(publication.event().channel(), publication.event().epoch(),
					publication.offset()));
	}

	/**
	 * Reads a request once the caller is known to be a publisher, so that an outsider
	 * learns nothing from validation messages (403 before 400).
	 */
	public <T> Mono<T> checked(java.util.concurrent.Callable<T> read) {
		return CurrentPrincipal.publisher().then(Mono.fromCallable(read));
	}

	/** The body of a publish request, which must be a JSON object. */
	static JsonNode requireObject(JsonNode body, String shape) {
		if (body == null || !body.isObject()) {
			throw ContractViolation.badRequest("body must be a JSON object " + shape);
		}
		return body;
	}

	/** A required, non-blank string field. */
	static String text(JsonNode body, String field) {
		JsonNode node = body.get(field);
		if (node == null || !node.isString() || node.asString().isBlank()) {
			throw ContractViolation.badRequest(field + " is required (a string)");
		}
		return node.asString();
	}

	/** An optional string field, {@code null} when absent. */
	static String optionalText(JsonNode body, String field) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString() || node.asString().isBlank()) {
			throw ContractViolation.badRequest(field + " must be a non-empty string when given");
		}
		return node.asString();
	}

	/**
	 * An event to publish, validated.
	 *
	 * @param channel the channel's canonical name
	 * @param type the event type
	 * @param data the payload
	 */
	public record Event(String channel, String type, JsonNode data) {

		/** Validates the channel name and the payload against the event catalogue. */
		public static Event validated(String channel, String type, JsonNode data) {
			String name = Channel.parse(channel).name();
			HubJson.validate(type, data);
			return new Event(name, type, data);
		}

	}

	/**
	 * Where a published event stands.
	 *
	 * @param channel the channel
	 * @param epoch the channel's epoch
	 * @param offset the event's offset
	 */
	public record PublishResult(String channel, String epoch, long offset) {

	}

}
