package dev.agenthub.broadcast.publish;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The server publish API for backends ({@code service} or {@code admin} token):
 * {@code POST /api/publish {channel, type, data}} → {@code {channel, epoch, offset}}.
 */
@RestController
public class PublishController {

	private final Publisher publisher;

	public PublishController(Publisher publisher) {
		this.publisher = publisher;
	}

	@PostMapping("/api/publish")
	Mono<Publisher.PublishResult> publish(@RequestBody JsonNode body) {
		return this.publisher.checked(() -> Publisher.requireObject(body, "{channel, type, data}"))
			.flatMap((object) -> this.publisher.publish(Publisher.text(object, "channel"),
					Publisher.text(object, "type"), object.get("data")));
	}

}
