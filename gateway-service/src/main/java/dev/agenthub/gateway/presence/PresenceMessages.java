package dev.agenthub.gateway.presence;

import java.util.Set;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.UserPresence;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.session.GatewaySession;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code {"type":"user_presence","data":"away"}} (also
 * {@code {"data":{"status":"away"}}}): the client's status for this connection. No reply;
 * a change of the user's aggregate status comes back to everyone as the
 * {@code user_presence} event.
 */
@Component
class PresenceMessages implements GatewayMessageHandler {

	private final PresenceService presence;

	PresenceMessages(PresenceService presence) {
		this.presence = presence;
	}

	@Override
	public Set<String> types() {
		return Set.of(EventType.USER_PRESENCE.wireName());
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		JsonNode data = message.data();
		JsonNode status = data.isObject() ? data.get("status") : data;
		if (status == null || !status.isString() || !UserPresence.STATES.contains(status.asString())) {
			throw ContractViolation
				.badRequest("user_presence: data must be one of " + UserPresence.STATES + " but was " + data);
		}
		return this.presence.announce(session, status.asString());
	}

}
