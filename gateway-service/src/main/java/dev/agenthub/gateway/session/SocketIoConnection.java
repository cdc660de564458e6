package dev.agenthub.gateway.session;

import java.time.Duration;

import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.subscription.SubscriptionState;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketListener;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.socket.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One authenticated Socket.IO socket on {@code /}: a {@link GatewaySession} like a raw
 * WebSocket's, so subscriptions, presence, sync and commands run through the same
 * handlers. Each event becomes a {@link ClientMessage} of the same type with the first
 * argument as its data; handled one at a time, at the raw protocol's rate limit.
 */
final class SocketIoConnection implements SocketListener {

	private static final Logger logger = LoggerFactory.getLogger(SocketIoConnection.class);

	private final SocketIoGateway gateway;

	private final HubPrincipal principal;

	private final String clientId;

	private final String pid;

	private final SocketIoGateway.Resume resume;

	private final Sinks.Many<SioEvent> inbox = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<SioEvent>get(64).get());

	private static final Duration CLOSE_GRACE = Duration.ofMillis(200);

	private final RateLimiter rate;

	private volatile boolean limited;

	private GatewaySession session;

	private SocketIoOutbound outbound;

	private Mono<Void> ready;

	private Disposable processing;

	private int nextId;

	SocketIoConnection(SocketIoGateway gateway, HubPrincipal principal, String clientId, String pid,
			SocketIoGateway.Resume resume) {
		this.gateway = gateway;
		this.principal = principal;
		this.clientId = clientId;
		this.pid = pid;
		this.resume = resume;
		this.rate = new RateLimiter(gateway.properties.ratePerSecond(), gateway.properties.rateBurst());
	}

	String pid() {
		return this.pid;
	}

	@Override
	public void onConnect(SioSocket socket) {
		this.outbound = new SocketIoOutbound(socket, this.gateway.server());
		this.session = new GatewaySession(this.outbound, this.gateway.metrics);
		this.session.clientId(this.clientId);
		this.session.authenticated(this.principal);
		this.gateway.registry.add(this.session);
		this.gateway.registry.claimClientId(this.session, this.clientId);
		Map<String, dev.agenthub.gateway.subscription.SubscriptionService.ResumePoint> points = (this.resume != null)
				? this.resume.points() : Map.of();
		Mono<Void> join = this.gateway.subscriptions.joinImplicit(this.session, points);
		if (this.resume != null) {
			join = join.thenMany(Flux.fromIterable(this.resume.explicit()).concatMap((channel) -> {
				ObjectNode since = HubJson.object();
				since.put("epoch", points.get(channel).epoch());
				since.put("offset", points.get(channel).offset());
				return this.gateway.subscriptions.subscribe(this.session, channel, since, null)
					.onErrorResume((ex) -> Mono.empty());
			})).then();
		}
		this.ready = join.doOnSuccess((done) -> this.gateway.listeners.forEach((l) -> l.authenticated(this.session)))
			.cache();
		this.processing = this.inbox.asFlux()
			.concatMap((event) -> this.ready.onErrorComplete().then(Mono.defer(() -> handle(event))), 1)
			.subscribe();
		this.ready.subscribe(null, (ex) -> {
			logger.warn("Socket.IO socket {} could not join its channels", socket.id(), ex);
			this.session.close(CloseCode.INTERNAL_ERROR, "could not join channels");
		});
	}

	@Override
	public void onEvent(SioSocket socket, SioEvent event) {
		if (this.session.isClosed() || this.limited) {
			return;
		}
		if (!this.rate.tryAcquire() || this.inbox.tryEmitNext(event).isFailure()) {
			this.gateway.metrics.rateLimitClosed();
			socket.emit("error",
					ServerMessage
						.error(ErrorCode.RATE_LIMITED,
								"more than " + this.gateway.properties.ratePerSecond() + " messages/s (burst "
										+ this.gateway.properties.rateBurst() + ")",
								null)
						.data());
			this.limited = true;
			// The engine drains a closing WebSocket only of what reached it; give the
			// error a
			// moment to get there so the client learns why it is closed.
			Mono.delay(CLOSE_GRACE).subscribe((tick) -> socket.close());
			return;
		}
		this.gateway.metrics.messageIn();
	}

	private Mono<Void> handle(SioEvent event) {
		int id = ++this.nextId;
		JsonNode data = event.args().isEmpty() ? HubJson.object() : event.args().get(0);
		if (data == null || data.isNull()) {
			data = HubJson.object();
		}
		if (event.ack() != null) {
			this.outbound.expectReply(id, event.ack());
		}
		ClientMessage message = new ClientMessage(event.name(), IntNode.valueOf(id), data);
		return dispatch(message).onErrorResume((ex) -> {
			if (ex instanceof ContractViolation violation) {
				this.session.send(ServerMessage.error(violation.code(), violation.getMessage(), message.id()));
			}
			else {
				logger.warn("Failed to handle {} on {}", message.type(), this.session.id(), ex);
				this.session.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
						message.type() + " failed: " + ex.getClass().getSimpleName() + ", try again", message.id()));
			}
			return Mono.empty();
		}).doFinally((signal) -> this.outbound.requestDone());
	}

	private Mono<Void> dispatch(ClientMessage message) {
		for (GatewayMessageHandler handler : this.gateway.handlers) {
			if (handler.handles(message.type())) {
				return Mono.defer(() -> handler.handle(this.session, message));
			}
		}
		return Mono.error(ContractViolation.badRequest("unknown event '" + message.type() + "'"));
	}

	@Override
	public void onDisconnect(SioSocket socket, DisconnectReason reason) {
		if (this.processing != null) {
			this.processing.dispose();
		}
		if (reason == DisconnectReason.OUTBOUND_OVERFLOW) {
			this.gateway.metrics.slowReaderClosed();
			this.gateway.listeners.forEach(GatewaySession.SessionListener::slowReader);
		}
		if (this.session == null) {
			return;
		}
		this.outbound.markClosed();
		if (reason != DisconnectReason.CLIENT_NAMESPACE_DISCONNECT
				&& reason != DisconnectReason.SERVER_NAMESPACE_DISCONNECT) {
			saveResume(socket);
		}
		this.gateway.subscriptions.leaveAll(this.session);
		this.gateway.registry.remove(this.session);
		this.gateway.listeners.forEach((listener) -> listener.closed(this.session));
	}

	/** Keeps where each channel stands, for a reconnect with this socket's pid. */
	private void saveResume(SioSocket socket) {
		ObjectNode record = HubJson.object();
		record.put("clientId", this.clientId);
		record.put("socketId", socket.id());
		ArrayNode channels = record.putArray("channels");
		for (SubscriptionState state : this.session.subscriptions().values()) {
			if (state.epoch() == null) {
				return; // still opening: its position is not known, so nothing can be
						// resumed
			}
			channels.addObject()
				.put("channel", state.channel())
				.put("implicit", state.implicit())
				.put("epoch", state.epoch())
				.put("offset", state.lastOffset());
		}
		SocketIoOutbound.Recent recent = this.outbound.recent();
		ArrayNode offsets = record.putArray("recent");
		recent.offsets().forEach(offsets::add);
		record.put("complete", recent.complete());
		this.gateway.pendingSaves.incrementAndGet();
		this.gateway.resumes.save(this.pid, HubJson.write(record), this.gateway.resumeTtl)
			.doFinally((signal) -> this.gateway.pendingSaves.decrementAndGet())
			.subscribe(null, (ex) -> logger.debug("Could not keep Socket.IO resume record {}", this.pid, ex));
	}

}
