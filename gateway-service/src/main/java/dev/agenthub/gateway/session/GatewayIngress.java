package dev.agenthub.gateway.session;

import java.util.List;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.subscription.SubscriptionService;
import dev.agenthub.gateway.subscription.SubscriptionService.ResumePoint;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.Connection;
import dev.agenthub.support.connection.ConnectionEvents;
import dev.agenthub.support.connection.ConnectionLimits;
import dev.agenthub.support.connection.Dialect;
import dev.agenthub.support.connection.Handshake;
import dev.agenthub.support.connection.Ingress;
import dev.agenthub.support.connection.SocketIoTransport;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the gateway plugs into the connection core: a browser session per connection
 * (client id, implicit channels, a recovered Socket.IO socket's channels), the feature
 * handlers, and the {@code auth} replies of the browser protocol.
 */
@Component
public class GatewayIngress implements Ingress<GatewaySession> {

	private final SessionRegistry registry;

	private final SubscriptionService subscriptions;

	private final List<GatewayMessageHandler> handlers;

	private final List<GatewaySession.SessionListener> listeners;

	private final ConnectionLimits limits;

	private final ConnectionEvents events;

	private final SocketIoGateway socketIo;

	GatewayIngress(SessionRegistry registry, SubscriptionService subscriptions, List<GatewayMessageHandler> handlers,
			List<GatewaySession.SessionListener> listeners, GatewayProperties properties, GatewayMetrics metrics,
			@Lazy SocketIoGateway socketIo) {
		this.registry = registry;
		this.subscriptions = subscriptions;
		this.handlers = handlers;
		this.listeners = listeners;
		this.socketIo = socketIo;
		this.limits = new ConnectionLimits(properties.maxFrameBytes(), properties.ratePerSecond(),
				properties.rateBurst(), ConnectionLimits.RateMode.CLOSE, properties.maxOutboundBytes(),
				properties.pingInterval(), properties.idleTimeout(), properties.authTimeout(),
				properties.idleTimeout().dividedBy(2), properties.maxConnections(), properties.maxOpening(),
				properties.connectionsPerSubject());
		this.events = new MeteredEvents(metrics);
	}

	@Override
	public ConnectionLimits limits() {
		return this.limits;
	}

	@Override
	public ConnectionEvents events() {
		return this.events;
	}

	@Override
	public Dialect dialect(Handshake handshake) {
		// Seed 001's web app connects at /api/ws and speaks the flat shapes.
		Dialect fallback = handshake.path().startsWith("/api/") ? Dialect.FLAT : Dialect.HUB;
		return Dialect.named(handshake.query("dialect"), fallback);
	}

	@Override
	public Object accept(Handshake handshake) {
		return new RawHandshake(handshake.header("x-client-id"), !"none".equalsIgnoreCase(handshake.query("subscribe")),
				handshake.query("workspaceId"));
	}

	@Override
	public void authorize(HubPrincipal principal) {
		// Any verified token may watch; channel access is decided per channel.
	}

	@Override
	public Mono<GatewaySession> open(Connection connection, @Nullable Object context) {
		if (context instanceof SocketIoGateway.Accepted accepted) {
			return openSocketIo(connection, accepted);
		}
		RawHandshake raw = (context instanceof RawHandshake given) ? given : new RawHandshake(null, true, null);
		GatewaySession session = new GatewaySession(connection, null);
		session.watching(raw.workspaceId());
		session.serverSide(raw.serverSide());
		// Opened once the implicit channels are live, so nothing sent to them after the
		// client saw the reply is missed.
		return released(session, this.registry.add(session, raw.clientId())
			.then(Mono.defer(() -> this.subscriptions.joinImplicit(session))));
	}

	private Mono<GatewaySession> openSocketIo(Connection connection, SocketIoGateway.Accepted accepted) {
		GatewaySession session = new GatewaySession(connection, accepted.pid());
		SocketIoGateway.Resume resume = accepted.resume();
		if (resume != null && resume.offset() != null
				&& connection.transport() instanceof SocketIoTransport transport) {
			// a client that drops again before it gets another event resumes from the
			// same offset: this socket's record must know where it stands
			transport.resumedAfter(resume.offset());
		}
		Map<String, ResumePoint> points = (resume != null) ? resume.points() : Map.of();
		// a recovered socket gets its channels back from its record, and (unless it opted
		// out) the workspaces its token gained since: opened() joins those not recovered
		session.serverSide(accepted.serverSide());
		Mono<Void> join = this.registry.add(session, (resume != null) ? resume.clientId() : accepted.clientId())
			.then(Mono.defer(() -> this.subscriptions.joinImplicit(session, points)));
		if (resume != null) {
			join = join.thenMany(Flux.fromIterable(resume.explicit()).concatMap((channel) -> {
				ObjectNode since = HubJson.object();
				since.put("epoch", points.get(channel).epoch());
				since.put("offset", points.get(channel).offset());
				return this.subscriptions.subscribe(session, channel, since, null)
					.onErrorResume((ex) -> Mono.fromRunnable(() -> SubscriptionService.tellUnsubscribed(session,
							channel,
							(ex instanceof ContractViolation violation) ? violation.code() : ErrorCode.UNAVAILABLE)));
			})).then();
		}
		return released(session, join);
	}

	/**
	 * A session whose open failed is never closed, so it gives back here what it took:
	 * its place on its channels and in the registry. Kept, a channel whose subscription
	 * failed stayed on the node with its failure, and every later connection that joined
	 * it (every one: {@code broadcast}) failed to open, after the engine was back too.
	 */
	private Mono<GatewaySession> released(GatewaySession session, Mono<Void> opening) {
		return opening.doOnError((ex) -> {
			this.subscriptions.leaveAll(session);
			this.registry.remove(session);
		}).thenReturn(session);
	}

	@Override
	public Mono<Void> opened(GatewaySession session) {
		// After the auth reply, so the client sees what the listeners publish (its own
		// "online", on user: or broadcast, which it is on already) and its subscriptions'
		// notices after it: announced from open(), its presence raced the reply and often
		// came first (seed 002: auth is "sent immediately after connection").
		if (!session.isClosed()) {
			this.listeners.forEach((listener) -> listener.authenticated(session));
		}
		return session.serverSide() ? this.subscriptions.joinWorkspaces(session, session.watching()) : Mono.empty();
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		for (GatewayMessageHandler handler : this.handlers) {
			if (handler.handles(message.type())) {
				return handler.handle(session, message);
			}
		}
		String kind = (session.resumeId() != null) ? "event" : "message type";
		return Mono.error(ContractViolation.badRequest("unknown " + kind + " '" + message.type() + "'"));
	}

	@Override
	public @Nullable ServerMessage authenticated(GatewaySession session, @Nullable JsonNode requestId) {
		if (session.resumeId() != null && requestId == null) {
			return null; // Socket.IO: the CONNECT reply says it
		}
		ObjectNode data = HubJson.object();
		data.put("success", true);
		data.put("userId", session.principal().subject());
		data.put("clientId", session.clientId());
		return ServerMessage.of(MessageTypes.AUTH, requestId, data);
	}

	@Override
	public ServerMessage refusal(ErrorCode code, String reason) {
		ObjectNode data = HubJson.object();
		data.put("success", false);
		data.put("code", code.code());
		data.put("error", (reason != null) ? reason : "invalid token");
		return ServerMessage.of(MessageTypes.AUTH, null, data);
	}

	@Override
	public Mono<Void> refreshed(GatewaySession session) {
		// off the channels the new token does not allow, and (a connection the hub
		// subscribes) on the workspaces it gained
		return this.subscriptions.revalidate(session)
			.then(Mono.defer(() -> session.serverSide() ? this.subscriptions.joinWorkspaces(session, session.watching())
					: Mono.empty()))
			.then(Mono.fromRunnable(() -> this.listeners.forEach((listener) -> listener.refreshed(session))));
	}

	@Override
	public Mono<Void> closed(GatewaySession session) {
		if (session.connection().transport() instanceof SocketIoTransport transport) {
			this.socketIo.closed(session, transport);
		}
		this.subscriptions.leaveAll(session);
		this.registry.remove(session);
		this.listeners.forEach((listener) -> listener.closed(session));
		return Mono.empty();
	}

	/**
	 * What the gateway keeps of a raw WebSocket's handshake.
	 *
	 * @param clientId the client id asked for ({@code x-client-id}), or {@code null}
	 * @param serverSide whether to subscribe it to its workspaces' channels (unless
	 * {@code ?subscribe=none})
	 * @param workspaceId the one workspace it watches ({@code ?workspaceId=}, seed 001's
	 * web app), or {@code null} for all of its token's
	 */
	record RawHandshake(@Nullable String clientId, boolean serverSide, @Nullable String workspaceId) {

	}

	/** The core's connection events as gateway meters. */
	private record MeteredEvents(GatewayMetrics metrics) implements ConnectionEvents {

		@Override
		public void messageOut() {
			this.metrics.messageOut();
		}

		@Override
		public void messageIn() {
			this.metrics.messageIn();
		}

		@Override
		public void slowReader() {
			this.metrics.slowReaderClosed();
		}

		@Override
		public void closedWith(CloseCode code) {
			if (code == CloseCode.RATE_LIMITED) {
				this.metrics.rateLimitClosed();
			}
		}

	}

}
