package dev.agenthub.gateway.protocol;

import java.util.Set;

import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.gateway.session.GatewaySession;
import reactor.core.publisher.Mono;

/**
 * Handles some types of message from authenticated connections. Each feature
 * (subscriptions, presence, sync, commands) contributes one as a bean; a type belongs to
 * exactly one handler. Errors signalled as
 * {@link dev.agenthub.contracts.error.ContractViolation} are answered with an
 * {@code error} message; the connection stays.
 */
public interface GatewayMessageHandler {

	/** The message types handled, e.g. {@code subscribe}. */
	Set<String> types();

	/** Whether a type is handled, for families such as {@code subscribe:workspace}. */
	default boolean handles(String type) {
		return types().contains(type);
	}

	/** Handles one message; the next message of the connection waits for completion. */
	Mono<Void> handle(GatewaySession session, ClientMessage message);

}
