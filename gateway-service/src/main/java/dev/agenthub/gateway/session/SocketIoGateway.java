package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.recovery.Recovery;
import dev.agenthub.gateway.socketio.ResumeStore;
import dev.agenthub.gateway.subscription.SubscriptionService;
import dev.agenthub.gateway.subscription.SubscriptionService.ResumePoint;
import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.socketio.RecoveryRequest;
import dev.agenthub.socketio.SocketIoServer;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.auth.HubTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Socket.IO namespace {@code /} on the gateway: the CONNECT {@code auth} payload's token
 * ({@code {"token": ...}}) is verified like the raw protocol's; a bad one is refused
 * ({@code connect_error} with {@code {"code":"unauthorized"}}). Recovery: a reconnect
 * with {@code {pid, offset}} is answered {@code recovered} only when every channel of the
 * old socket can be replayed from the hub's offsets (the record is kept by
 * {@link ResumeStore}, so any gateway can do it); otherwise the socket starts afresh with
 * a new pid and nothing partial is sent.
 */
@Component
public class SocketIoGateway implements NamespaceHandler {

	private static final Logger logger = LoggerFactory.getLogger(SocketIoGateway.class);

	final SessionRegistry registry;

	final SubscriptionService subscriptions;

	final List<GatewayMessageHandler> handlers;

	final GatewayProperties properties;

	final List<GatewaySession.SessionListener> listeners;

	final GatewayMetrics metrics;

	final ResumeStore resumes;

	final Duration resumeTtl;

	final AtomicInteger pendingSaves = new AtomicInteger();

	private final HubTokenVerifier verifier;

	private final Recovery recovery;

	private final ObjectProvider<SocketIoServer> server;

	public SocketIoGateway(SessionRegistry registry, HubTokenVerifier verifier, SubscriptionService subscriptions,
			List<GatewayMessageHandler> handlers, GatewayProperties properties,
			List<GatewaySession.SessionListener> listeners, GatewayMetrics metrics, ResumeStore resumes,
			Recovery recovery, ObjectProvider<SocketIoServer> server,
			dev.agenthub.gateway.socketio.SocketIoProperties socketIo) {
		this.registry = registry;
		this.verifier = verifier;
		this.subscriptions = subscriptions;
		this.handlers = handlers;
		this.properties = properties;
		this.listeners = listeners;
		this.metrics = metrics;
		this.resumes = resumes;
		this.recovery = recovery;
		this.server = server;
		this.resumeTtl = socketIo.resumeTtl();
	}

	/**
	 * Waits (bounded) until the resume records of closed sockets are stored: called on
	 * shutdown, after the engine closed every session, so clients recover elsewhere.
	 */
	public void awaitResumeRecords(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.pendingSaves.get() > 0 && System.nanoTime() < deadline) {
			java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
		}
	}

	SocketIoServer server() {
		return this.server.getObject();
	}

	@Override
	public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
		String token = auth.path("token").asString(null);
		if (token == null) {
			token = handshake.queryParam("token");
		}
		if (token == null || token.isBlank()) {
			return Mono.just(refuse("no token: connect with auth {\"token\": ...}"));
		}
		String clientId = clientId(handshake, auth);
		return this.verifier.verify(token)
			.flatMap((principal) -> decide(principal, clientId, RecoveryRequest.from(auth).orElse(null)))
			.onErrorResume((ex) -> Mono.just(refuse(ex.getMessage())));
	}

	private Mono<ConnectDecision> decide(HubPrincipal principal, String clientId, RecoveryRequest request) {
		if (request == null) {
			return Mono.just(fresh(principal, clientId));
		}
		return this.resumes.take(request.pid())
			.flatMap((record) -> resumePoints(record, request.offset()))
			.flatMap((points) -> recoverable(points)
				.map((all) -> all ? recovered(principal, request, points) : fresh(principal, clientId)))
			.switchIfEmpty(Mono.fromSupplier(() -> fresh(principal, clientId)))
			.onErrorResume((ex) -> {
				// Recovery is an optimisation: when its record cannot be read the client
				// refetches state, as after a long disconnect.
				logger.debug("Socket.IO recovery of {} failed", request.pid(), ex);
				return Mono.just(fresh(principal, clientId));
			});
	}

	private ConnectDecision fresh(HubPrincipal principal, String clientId) {
		SocketIoConnection connection = new SocketIoConnection(this, principal, clientId, UUID.randomUUID().toString(),
				null);
		return ConnectDecision.acceptWithPid(connection, connection.pid());
	}

	private ConnectDecision recovered(HubPrincipal principal, RecoveryRequest request, Resume resume) {
		SocketIoConnection connection = new SocketIoConnection(this, principal, resume.clientId(), request.pid(),
				resume);
		return ConnectDecision.recovered(connection, request, resume.socketId());
	}

	/** Whether every channel can be replayed from its resume point. */
	private Mono<Boolean> recoverable(Resume resume) {
		return Flux.fromIterable(resume.points().entrySet())
			.concatMap((entry) -> this.recovery.recover(entry.getKey(), entry.getValue().epoch(),
					entry.getValue().offset()))
			.all((outcome) -> Boolean.TRUE.equals(outcome.recovered()));
	}

	/**
	 * Where each channel stood when the client got its last event ({@code offset}): the
	 * position recorded at disconnect, less the events sent after that one (offsets are
	 * gapless per channel and sent in order). Empty when the record cannot tell.
	 */
	static Mono<Resume> resumePoints(String json, String offset) {
		JsonNode record = HubJson.parse(json);
		List<String> recent = new ArrayList<>();
		record.path("recent").forEach((node) -> recent.add(node.asString()));
		int cut = (offset != null) ? recent.lastIndexOf(offset) : -1;
		if ((offset != null && cut < 0) || (offset == null && !record.path("complete").asBoolean(false))) {
			return Mono.empty();
		}
		Map<String, Integer> after = new HashMap<>();
		for (String sent : recent.subList(cut + 1, recent.size())) {
			after.merge(sent.substring(0, sent.lastIndexOf('@')), 1, Integer::sum);
		}
		Map<String, ResumePoint> points = new HashMap<>();
		List<String> explicit = new ArrayList<>();
		for (JsonNode channel : record.path("channels")) {
			String name = channel.path("channel").asString();
			points.put(name, new ResumePoint(channel.path("epoch").asString(),
					channel.path("offset").asLong() - after.getOrDefault(name, 0)));
			if (!channel.path("implicit").asBoolean(false)) {
				explicit.add(name);
			}
		}
		return Mono.just(new Resume(points, explicit, record.path("clientId").asString(),
				record.path("socketId").asString(null)));
	}

	private static ConnectDecision refuse(String reason) {
		ObjectNode data = HubJson.object();
		data.put("code", ErrorCode.UNAUTHORIZED.code());
		data.put("error", (reason != null) ? reason : "invalid token");
		return ConnectDecision.reject("Not authorized", data);
	}

	private static String clientId(HandshakeInfo handshake, JsonNode auth) {
		String fromAuth = auth.path("clientId").asString(null);
		if (fromAuth != null && !fromAuth.isBlank()) {
			return fromAuth;
		}
		String header = handshake.headers().getFirst("x-client-id");
		return (header != null && !header.isBlank()) ? header : UUID.randomUUID().toString();
	}

	/**
	 * What a recovered socket resumes.
	 *
	 * @param points every channel's resume point
	 * @param explicit the channels it subscribed to itself
	 * @param clientId its client id
	 * @param socketId its old socket id, or {@code null}
	 */
	record Resume(Map<String, ResumePoint> points, List<String> explicit, String clientId, String socketId) {

	}

}
