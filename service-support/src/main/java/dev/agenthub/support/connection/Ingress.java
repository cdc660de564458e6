package dev.agenthub.support.connection;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.support.auth.HubPrincipal;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What one ingress (the browsers' gateway, the agents' service) plugs into the connection
 * core: who may connect, the session it keeps per connection, and its message handlers.
 * Everything else — transports, limits, decoding, ordering, error replies, outbound
 * bounds, heartbeats, token expiry and drain — is the core's ({@link ConnectionServer}),
 * the same for every ingress and transport.
 *
 * @param <S> the ingress's session type (one per authenticated connection)
 */
public interface Ingress<S> {

	/** The ingress's limits. */
	ConnectionLimits limits();

	/** Where the core reports messages, slow readers and closes. */
	default ConnectionEvents events() {
		return ConnectionEvents.NONE;
	}

	/**
	 * The dialect a raw WebSocket speaks, from its handshake ({@code ?dialect=}).
	 * @throws ContractViolation for a dialect the ingress does not speak
	 */
	default Dialect dialect(Handshake handshake) {
		return Dialect.HUB;
	}

	/**
	 * What the ingress keeps of a raw WebSocket's handshake for {@link #open} (e.g. the
	 * client id it asks for); the handshake request itself is not kept.
	 */
	default @Nullable Object accept(Handshake handshake) {
		return null;
	}

	/**
	 * Checks that a verified principal may connect here.
	 * @throws ContractViolation ({@link ErrorCode#FORBIDDEN}) when it may not
	 */
	void authorize(HubPrincipal principal);

	/**
	 * A connection authenticated: makes its session (joins channels, registers). The
	 * client's messages wait until it completes; an error closes the connection.
	 * @param connection the connection ({@link Connection#principal()} is set)
	 * @param context what the transport's handshake decided (e.g. a Socket.IO recovery),
	 * or {@code null}
	 */
	Mono<S> open(Connection connection, @Nullable Object context);

	/**
	 * Runs after the reply to the authentication went out (e.g. server-side
	 * subscriptions, whose notices should follow it); the client's messages wait for it.
	 */
	default Mono<Void> opened(S session) {
		return Mono.empty();
	}

	/**
	 * Handles one message of an open session; the connection's next message waits for
	 * completion. A {@link ContractViolation} is answered with an {@code error} and the
	 * connection stays; any other error with {@code unavailable}.
	 */
	Mono<Void> handle(S session, ClientMessage message);

	/**
	 * The reply to a successful authentication, or {@code null} for none.
	 * @param session the new session
	 * @param requestId the id of the {@code auth} message, or {@code null} when the token
	 * came with the handshake
	 */
	default @Nullable ServerMessage authenticated(S session, @Nullable JsonNode requestId) {
		return null;
	}

	/** What a refused client is told before the close. */
	default ServerMessage refusal(ErrorCode code, String reason) {
		return ServerMessage.error(code, reason, null);
	}

	/**
	 * The connection's token was refreshed in-band (same subject): drop what the new
	 * principal may not have any more.
	 */
	default Mono<Void> refreshed(S session) {
		return Mono.empty();
	}

	/** The connection ended, for any reason; called once per opened session. */
	Mono<Void> closed(S session);

}
