package dev.agenthub.broadcast.publish;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The server publish API for backends ({@code service} or {@code admin} token):
 * {@code POST /api/publish {channel, type, data}} → {@code {epoch, offset}}.
 */
@RestController
public class PublishController {

	private final Broker broker;

	public PublishController(Broker broker) {
		this.broker = broker;
	}

	@PostMapping("/api/publish")
	Mono<ResponseEntity<PublishResult>> publish(@RequestBody JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ContractViolation.badRequest("body must be a JSON object {channel, type, data}");
		}
		String channel = text(body, "channel");
		String type = text(body, "type");
		JsonNode data = body.get("data");
		Channel.parse(channel);
		HubJson.validate(type, data);
		return CurrentPrincipal.publisher()
			.flatMap((principal) -> this.broker.publish(channel, type, data))
			.map((publication) -> ResponseEntity
				.ok(new PublishResult(channel, publication.event().epoch(), publication.offset())));
	}

	static String text(JsonNode body, String field) {
		JsonNode node = body.get(field);
		if (node == null || !node.isString() || node.asString().isBlank()) {
			throw ContractViolation.badRequest(field + " is required (a string)");
		}
		return node.asString();
	}

	/**
	 * Where the published event stands.
	 *
	 * @param channel the channel
	 * @param epoch the channel's epoch
	 * @param offset the event's offset
	 */
	public record PublishResult(String channel, String epoch, long offset) {

	}

}
