package dev.agenthub.support.connection;

import java.time.Duration;

import dev.agenthub.broker.EngineUnavailableException;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.support.auth.HubPrincipal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One connection's inbound pipeline, the same for every ingress and transport: frame
 * limit, rate limit (close or throttle), decode, authentication and in-band token
 * refresh, dispatch to the ingress, and one mapping from failures to {@code error}
 * replies and close codes. Frames are handled one at a time, in order.
 */
final class Conversation<S> {

	private static final Logger logger = LoggerFactory.getLogger(Conversation.class);

	private final ConnectionServer<S> server;

	private final Ingress<S> ingress;

	private final Connection connection;

	private final Object context;

	private S session;

	private boolean ended;

	/** Counted in its subject's share of the node's connections (until it ends). */
	private boolean counted;

	Conversation(ConnectionServer<S> server, Connection connection, @Nullable Object context) {
		this.server = server;
		this.ingress = server.ingress();
		this.connection = connection;
		this.context = context;
	}

	Connection connection() {
		return this.connection;
	}

	synchronized boolean opened() {
		return this.session != null;
	}

	/**
	 * Checks a frame's size and the client's rate as it arrives.
	 * @return nanoseconds to wait before handling it (throttled), 0 to go on, -1 when the
	 * connection was closed for it
	 */
	long admit(Inbound frame) {
		Connection connection = this.connection;
		connection.touch();
		if (frame.kind() == Inbound.Kind.CONTROL || connection.isClosed()) {
			return -1;
		}
		ConnectionLimits limits = connection.limits();
		if (frame.size() > limits.maxFrameBytes()) {
			refuse(ErrorCode.TOO_LARGE,
					"frame of " + frame.size() + " bytes is over the limit of " + limits.maxFrameBytes(),
					CloseCode.MESSAGE_TOO_BIG);
			return -1;
		}
		if (limits.rateMode() == ConnectionLimits.RateMode.THROTTLE) {
			return connection.acquireOrDelay(Math.max(1, frame.size()));
		}
		if (!connection.tryAcquireInbound()) {
			refuse(ErrorCode.RATE_LIMITED,
					"more than " + limits.ratePerSecond() + " messages/s (burst " + limits.rateBurst() + ")",
					CloseCode.RATE_LIMITED);
			return -1;
		}
		return 0;
	}

	/** Admits and then handles a raw frame (the next waits for it). */
	Mono<Void> receive(Inbound frame) {
		long delay = admit(frame);
		if (delay < 0) {
			return Mono.empty();
		}
		// Throttled: the next frame is not read meanwhile, so TCP pushes back.
		Mono<Void> handling = Mono.defer(() -> handle(frame));
		return (delay == 0) ? handling : Mono.delay(Duration.ofNanos(delay)).then(handling);
	}

	/** Decodes and handles an admitted frame. */
	Mono<Void> handle(Inbound frame) {
		if (this.connection.isClosed()) {
			return Mono.empty();
		}
		this.ingress.events().messageIn();
		ClientMessage message;
		try {
			message = decode(frame);
		}
		catch (ContractViolation ex) {
			this.connection.send(ServerMessage.error(ex.code(), ex.getMessage(), null));
			return Mono.empty();
		}
		JsonNode id = message.id();
		return Mono.defer(() -> dispatch(message)).onErrorResume((ex) -> {
			if (ex instanceof ContractViolation violation) {
				this.connection.send(ServerMessage.error(violation.code(), violation.getMessage(), id));
			}
			else if (EngineUnavailableException.outage(ex)) {
				this.server.notHandled()
					.warn("Could not handle {} on {}: {} ({})", message.type(), this.connection.id(),
							EngineUnavailableException.TO_CLIENTS, ex.toString());
				this.connection.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
						message.type() + " failed: " + EngineUnavailableException.TO_CLIENTS + ", try again", id));
			}
			else {
				logger.warn("Failed to handle {} on {}", message.type(), this.connection.id(), ex);
				this.connection.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
						message.type() + " failed: " + ex.getClass().getSimpleName() + ", try again", id));
			}
			return Mono.empty();
		}).doFinally((signal) -> this.connection.transport().requestDone(id));
	}

	private ClientMessage decode(Inbound frame) {
		return switch (frame.kind()) {
			case DECODED -> frame.message();
			case TEXT -> ((WebSocketTransport) this.connection.transport()).dialect().decode(frame.text());
			default -> throw ContractViolation.badRequest("binary frames are not supported; send JSON text");
		};
	}

	private Mono<Void> dispatch(ClientMessage message) {
		String type = message.type();
		if (MessageTypes.PING.equals(type)) {
			this.connection.send(ServerMessage.of(MessageTypes.PONG, message.id(), null));
			return Mono.empty();
		}
		if (MessageTypes.PONG.equals(type)) {
			return Mono.empty();
		}
		if (MessageTypes.AUTH.equals(type)) {
			String token = message.requireText("token");
			return opened() ? refresh(token, message.id()) : authenticate(token, message.id());
		}
		S current = current();
		if (current == null) {
			throw new ContractViolation(ErrorCode.UNAUTHORIZED,
					"authenticate first: {\"type\":\"auth\",\"data\":{\"token\":...}}");
		}
		return this.ingress.handle(current, message);
	}

	/**
	 * Verifies a token and opens the session; a refused client gets the ingress's refusal
	 * and close 4001 (4003 when the token may not connect here).
	 * @param token the token
	 * @param requestId the {@code auth} message's id, or {@code null} for a handshake
	 * token
	 */
	Mono<Void> authenticate(@Nullable String token, @Nullable JsonNode requestId) {
		if (token == null || token.isBlank()) {
			refuse(ErrorCode.UNAUTHORIZED, "a token is required (?token=, Authorization: Bearer or an auth message)",
					CloseCode.UNAUTHORIZED);
			return Mono.empty();
		}
		return this.server.verifier()
			.verify(token)
			.onErrorMap((ex) -> !(ex instanceof ContractViolation),
					(ex) -> new ContractViolation(ErrorCode.UNAUTHORIZED, "token refused: " + ex.getMessage()))
			.flatMap((principal) -> {
				this.ingress.authorize(principal);
				if (!count(principal, false)) {
					throw new ContractViolation(ErrorCode.RATE_LIMITED, this.server.tooMany(principal));
				}
				return open(requestId);
			})
			.onErrorResume(ContractViolation.class, (ex) -> {
				CloseCode close = switch (ex.code()) {
					case FORBIDDEN -> CloseCode.FORBIDDEN;
					case RATE_LIMITED -> CloseCode.RATE_LIMITED;
					default -> CloseCode.UNAUTHORIZED;
				};
				this.connection.send(this.ingress.refusal(ex.code(), ex.getMessage()));
				this.connection.close(close, ex.getMessage());
				return Mono.empty();
			});
	}

	/**
	 * Sets the connection's principal and counts the connection in its subject's share of
	 * the node's connections, given back when it ends.
	 * @param principal who authenticated
	 * @param admitted whether it was admitted already (a Socket.IO CONNECT the namespace
	 * accepted): counted even beyond the share
	 * @return {@code false} when the subject holds its whole share (nothing was set)
	 */
	boolean count(HubPrincipal principal, boolean admitted) {
		synchronized (this) {
			if (!this.counted && !this.ended) {
				if (admitted) {
					this.server.subjects().force(principal.subject());
				}
				else if (!this.server.subjects().take(principal.subject())) {
					return false;
				}
				this.counted = true;
			}
			this.connection.principal(principal);
			return true;
		}
	}

	/** Opens the session of an authenticated connection. */
	Mono<Void> open(@Nullable JsonNode requestId) {
		// An open is never cancelled half-way, even when the connection ends and its
		// authentication is disposed: the ingress may have registered the session
		// already, and only the open's end can hand it back to be closed.
		Mono<S> opening = Mono.create((sink) -> this.ingress.open(this.connection, this.context)
			.subscribe((opened) -> sink.success(keep(opened)), sink::error, sink::success));
		return opening.flatMap((opened) -> {
			ServerMessage reply = this.ingress.authenticated(opened, requestId);
			if (reply != null) {
				this.connection.send(reply);
			}
			return this.ingress.opened(opened);
		}).onErrorResume((ex) -> !(ex instanceof ContractViolation), (ex) -> {
			String why;
			if (EngineUnavailableException.outage(ex)) {
				// no stack trace, and a few lines in all: a crowd reconnecting while
				// Redis is down must not fill the log
				why = EngineUnavailableException.TO_CLIENTS;
				this.server.notOpened()
					.warn("Could not open connection {}: {} ({})", this.connection.id(), why, ex.toString());
			}
			else {
				why = ex.getClass().getSimpleName();
				logger.warn("Could not open connection {}", this.connection.id(), ex);
			}
			this.connection.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
					"could not open the connection: " + why + ", reconnect", requestId));
			this.connection.close(CloseCode.INTERNAL_ERROR, "could not open the connection");
			return Mono.empty();
		}).then();
	}

	private Mono<Void> refresh(String token, JsonNode requestId) {
		HubPrincipal before = this.connection.principal();
		return this.server.verifier()
			.verify(token)
			.onErrorMap((ex) -> !(ex instanceof ContractViolation),
					(ex) -> new ContractViolation(ErrorCode.UNAUTHORIZED, "token refused: " + ex.getMessage()))
			.flatMap((principal) -> {
				if (!principal.subject().equals(before.subject())) {
					return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
							"a refreshed token must be for the same subject"));
				}
				this.ingress.authorize(principal);
				this.connection.principal(principal);
				return this.ingress.refreshed(current()).then(Mono.fromRunnable(() -> {
					ServerMessage reply = this.ingress.authenticated(current(), requestId);
					this.connection.send((reply != null) ? reply
							: ServerMessage.of(MessageTypes.AUTH, requestId, HubJson.object().put("success", true)));
				}));
			});
	}

	/**
	 * The session just opened, kept as the connection's; or, when the connection ended
	 * while it opened, closed at once.
	 * @return the session, or {@code null} when it was closed
	 */
	private @Nullable S keep(S opened) {
		synchronized (this) {
			if (!this.ended) {
				this.session = opened;
				this.connection.opened();
				return opened;
			}
		}
		this.ingress.closed(opened)
			.subscribe(null, (ex) -> logger.warn("Could not close session of connection {}", this.connection.id(), ex));
		return null;
	}

	/** Tells the client why and closes. */
	void refuse(ErrorCode code, String reason, CloseCode close) {
		ServerMessage refusal = (close == CloseCode.UNAUTHORIZED || close == CloseCode.FORBIDDEN)
				? this.ingress.refusal(code, reason) : ServerMessage.error(code, reason, null);
		this.connection.send(refusal);
		this.connection.close(close, reason);
	}

	/** The connection ended. */
	Mono<Void> closed() {
		this.connection.markClosed();
		S last;
		synchronized (this) {
			this.ended = true;
			last = this.session;
			if (this.counted) {
				this.counted = false;
				this.server.subjects().give(this.connection.principal().subject());
			}
		}
		return (last != null) ? this.ingress.closed(last) : Mono.empty();
	}

	private synchronized S current() {
		return this.session;
	}

}
