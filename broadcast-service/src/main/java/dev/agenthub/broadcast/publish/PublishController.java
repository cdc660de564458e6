package dev.agenthub.broadcast.publish;

import java.util.ArrayList;
import java.util.List;

import dev.agenthub.contracts.error.ContractViolation;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The server publish API for backends ({@code service} or {@code admin} token):
 * {@code POST /api/publish {channel, type, data}} → {@code {channel, epoch, offset}};
 * {@code POST /api/publish/batch {events: [{channel, type, data}, ...]}} →
 * {@code {results: [{channel, epoch, offset}, ...]}}, the events published in the given
 * order after all of them were validated (one invalid event: 400 naming its index, and
 * nothing published).
 */
@RestController
public class PublishController {

	private final Publisher publisher;

	public PublishController(Publisher publisher) {
		this.publisher = publisher;
	}

	/** Most events in one batch. */
	static final int MAX_BATCH = 1000;

	@PostMapping("/api/publish")
	Mono<Publisher.PublishResult> publish(@RequestBody JsonNode body) {
		return this.publisher.checked(() -> Publisher.requireObject(body, "{channel, type, data}"))
			.flatMap((object) -> this.publisher.publish(Publisher.text(object, "channel"),
					Publisher.text(object, "type"), object.get("data")));
	}

	@PostMapping("/api/publish/batch")
	Mono<BatchResult> publishBatch(@RequestBody JsonNode body) {
		return this.publisher.checked(() -> batch(body))
			.flatMap((events) -> this.publisher.publishAll(events).collectList().map(BatchResult::new));
	}

	private static List<Publisher.Event> batch(JsonNode body) {
		JsonNode events = Publisher.requireObject(body, "{events: [...]}").get("events");
		if (events == null || !events.isArray() || events.isEmpty()) {
			throw ContractViolation.badRequest("events is required (a non-empty array of {channel, type, data})");
		}
		if (events.size() > MAX_BATCH) {
			throw ContractViolation.badRequest("at most " + MAX_BATCH + " events in one batch, not " + events.size());
		}
		List<Publisher.Event> out = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			try {
				JsonNode event = Publisher.requireObject(events.get(i), "{channel, type, data}");
				out.add(Publisher.Event.validated(Publisher.text(event, "channel"), Publisher.text(event, "type"),
						event.get("data")));
			}
			catch (ContractViolation ex) {
				throw ContractViolation.badRequest("events[" + i + "]: " + ex.getMessage());
			}
		}
		return out;
	}

	/**
	 * Where each event of a batch stands, in the order given.
	 *
	 * @param results one per event
	 */
	record BatchResult(List<Publisher.PublishResult> results) {

	}

}
