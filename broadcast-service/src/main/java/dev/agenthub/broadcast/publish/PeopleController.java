package dev.agenthub.broadcast.publish;

import java.time.Instant;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.AgentStatus;
import dev.agenthub.contracts.event.ChatMessage;
import dev.agenthub.contracts.event.EventPayload;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.Notification;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed publish endpoints for the events people see (seed 002's clients receive them on
 * {@code broadcast} without subscribing):
 * <ul>
 * <li>{@code POST /api/notifications {level, message, userId?}}: {@code notification} to
 * {@code user:{userId}}, or to everyone on {@code broadcast};</li>
 * <li>{@code POST /api/chat-messages {conversationId, messageId, content, sender,
 * timestamp?, channel?}}: {@code chat_message} (timestamp defaults to now);</li>
 * <li>{@code POST /api/agent-status {agentName, state, currentTask?, progress?,
 * channel?}}: {@code agent_status}.</li>
 * </ul>
 * {@code channel} names the audience and defaults to {@code broadcast}. The contracts'
 * payload records validate the bodies, so a bad one gets 400 naming the field.
 */
@RestController
class PeopleController {

	private final Publisher publisher;

	PeopleController(Publisher publisher) {
		this.publisher = publisher;
	}

	@PostMapping("/api/notifications")
	Mono<Publisher.PublishResult> notification(@RequestBody JsonNode body) {
		return this.publisher.checked(() -> {
			Notification notification = read(body, EventType.NOTIFICATION, Notification.class,
					"{level, message, userId?}");
			String channel = (notification.userId() != null) ? Channel.user(notification.userId()).name()
					: Channel.BROADCAST.name();
			return new Prepared(channel, EventType.NOTIFICATION, notification);
		}).flatMap(this::publish);
	}

	@PostMapping("/api/chat-messages")
	Mono<Publisher.PublishResult> chatMessage(@RequestBody JsonNode body) {
		return this.publisher.checked(() -> {
			ChatMessage message = read(body, EventType.CHAT_MESSAGE, ChatMessage.class,
					"{conversationId, messageId, content, sender, timestamp?, channel?}");
			if (message.timestamp() == null) {
				message = new ChatMessage(message.conversationId(), message.messageId(), message.content(),
						message.sender(), Instant.now().toString());
			}
			return new Prepared(audience(body), EventType.CHAT_MESSAGE, message);
		}).flatMap(this::publish);
	}

	@PostMapping("/api/agent-status")
	Mono<Publisher.PublishResult> agentStatus(@RequestBody JsonNode body) {
		return this.publisher.checked(() -> {
			AgentStatus status = read(body, EventType.AGENT_STATUS, AgentStatus.class,
					"{agentName, state, currentTask?, progress?, channel?}");
			return new Prepared(audience(body), EventType.AGENT_STATUS, status);
		}).flatMap(this::publish);
	}

	private Mono<Publisher.PublishResult> publish(Prepared prepared) {
		ObjectNode data = (ObjectNode) HubJson.tree(prepared.payload());
		// Optional fields that were not given stay out of the event.
		java.util.List<String> absent = new java.util.ArrayList<>();
		data.properties().forEach((field) -> {
			if (field.getValue().isNull()) {
				absent.add(field.getKey());
			}
		});
		data.remove(absent);
		return this.publisher.publish(prepared.channel(), prepared.type().wireName(), data);
	}

	private static <T> T read(JsonNode body, EventType type, Class<T> payload, String shape) {
		return HubJson.readPayload(type.wireName(), Publisher.requireObject(body, shape), payload);
	}

	private static String audience(JsonNode body) {
		String channel = Publisher.optionalText(body, "channel");
		return (channel != null) ? Channel.parse(channel).name() : Channel.BROADCAST.name();
	}

	private record Prepared(String channel, EventType type, EventPayload payload) {

	}

}
