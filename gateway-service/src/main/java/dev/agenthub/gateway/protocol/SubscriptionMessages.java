package dev.agenthub.gateway.protocol;

import java.util.Set;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.gateway.subscription.SubscriptionService;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code subscribe} / {@code unsubscribe} with {@code {"channel", "since"?}}, and seed
 * 004's dialect: {@code subscribe:workspace {"workspaceId"}}, {@code subscribe:agent
 * {"agentId"}} and so on for every channel kind, and {@code unsubscribe:*} alike.
 */
@Component
class SubscriptionMessages implements GatewayMessageHandler {

	private static final String SUBSCRIBE_PREFIX = MessageTypes.SUBSCRIBE + ":";

	private static final String UNSUBSCRIBE_PREFIX = MessageTypes.UNSUBSCRIBE + ":";

	private final SubscriptionService subscriptions;

	SubscriptionMessages(SubscriptionService subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public Set<String> types() {
		return Set.of(MessageTypes.SUBSCRIBE, MessageTypes.UNSUBSCRIBE);
	}

	@Override
	public boolean handles(String type) {
		return types().contains(type) || type.startsWith(SUBSCRIBE_PREFIX) || type.startsWith(UNSUBSCRIBE_PREFIX);
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		String type = message.type();
		if (type.startsWith(UNSUBSCRIBE_PREFIX) || type.equals(MessageTypes.UNSUBSCRIBE)) {
			String channel = channelOf(message, UNSUBSCRIBE_PREFIX);
			if (!this.subscriptions.unsubscribe(session, channel)) {
				throw ContractViolation.badRequest("not subscribed to " + channel);
			}
			ObjectNode data = HubJson.object();
			data.put("channel", channel);
			session.send(ServerMessage.of(MessageTypes.UNSUBSCRIBED, message.id(), data));
			return Mono.empty();
		}
		JsonNode since = message.data().get("since");
		return this.subscriptions.subscribe(session, channelOf(message, SUBSCRIBE_PREFIX),
				(since == null || since.isNull()) ? null : since, message.id());
	}

	private static String channelOf(ClientMessage message, String prefix) {
		if (!message.type().startsWith(prefix)) {
			return message.requireText("channel");
		}
		String kind = message.type().substring(prefix.length());
		String id = message.requireText(kind + "Id");
		return Channel.parse(kind + ":" + id).name();
	}

}
