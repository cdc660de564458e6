package dev.agenthub.broadcast.changes;

import dev.agenthub.broadcast.publish.Publisher;
import dev.agenthub.contracts.codec.HubJson;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/changes {"channel","event","table","recordId","action","data"}}
 * (service or admin token) → 201 {@code {"change":{…,"timestamp"},"published":{channel,
 * epoch, offset}}}: records the change, then publishes {@code data} as event
 * {@code event} on {@code channel}. Recording comes first: a change that is recorded but
 * whose publish failed (503) still reaches every client through sync; the reverse would
 * lose it for clients that were away.
 */
@RestController
class ChangeController {

	private final Publisher publisher;

	private final ChangeLog log;

	ChangeController(Publisher publisher, ChangeLog log) {
		this.publisher = publisher;
		this.log = log;
	}

	@PostMapping("/api/changes")
	Mono<ResponseEntity<Recorded>> change(@RequestBody(required = false) JsonNode body) {
		return this.publisher.checked(() -> EntityChange.Request.of(body))
			.flatMap((change) -> this.log.record(change)
				.flatMap((logged) -> this.publisher
					.publish(change.channel(), change.event(),
							(change.data() != null) ? change.data() : HubJson.object())
					.map((published) -> new Recorded(logged, published))))
			.map((recorded) -> ResponseEntity.status(HttpStatus.CREATED).body(recorded));
	}

	/**
	 * A recorded and published change.
	 *
	 * @param change the change as logged
	 * @param published where its event stands on its channel
	 */
	record Recorded(EntityChange change, Publisher.PublishResult published) {

	}

}
