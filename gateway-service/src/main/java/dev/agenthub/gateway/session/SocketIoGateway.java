package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.gateway.recovery.Recovery;
import dev.agenthub.gateway.socketio.ResumeRecord;
import dev.agenthub.gateway.socketio.ResumeStore;
import dev.agenthub.gateway.socketio.SocketIoProperties;
import dev.agenthub.gateway.subscription.SubscriptionService.ResumePoint;
import dev.agenthub.gateway.subscription.SubscriptionState;
import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.socketio.RecoveryRequest;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.support.connection.SocketIoTransport;
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
 * ({@code connect_error} with {@code {"code":"unauthorized"}}); an accepted socket is
 * served by the connection core like a raw WebSocket. Recovery: a reconnect with
 * {@code {pid, offset}} is answered {@code recovered} only when the record is the same
 * user's and every channel of the old socket can be replayed from the hub's offsets (the
 * record is kept by {@link ResumeStore}, so any gateway can do it); otherwise the socket
 * starts afresh with a new pid and nothing partial is sent.
 */
@Component
public class SocketIoGateway implements NamespaceHandler {

	private static final Logger logger = LoggerFactory.getLogger(SocketIoGateway.class);

	/** Longest pid looked up (the hub's are UUIDs, 36 characters). */
	static final int MAX_PID = 64;

	private final Recovery recovery;

	private final ResumeStore resumes;

	private final Duration resumeTtl;

	private final ObjectProvider<ConnectionServer<GatewaySession>> core;

	private final PendingWork pendingSaves = new PendingWork();

	public SocketIoGateway(Recovery recovery, ResumeStore resumes, SocketIoProperties socketIo,
			ObjectProvider<ConnectionServer<GatewaySession>> core) {
		this.recovery = recovery;
		this.resumes = resumes;
		this.resumeTtl = socketIo.resumeTtl();
		this.core = core;
	}

	/**
	 * Waits (bounded) until the resume records of closed sockets are stored: called on
	 * shutdown, after the engine closed every session, so clients recover elsewhere.
	 */
	public void awaitResumeRecords(Duration timeout) {
		this.pendingSaves.await(timeout);
	}

	@Override
	public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
		ConnectDecision busy = this.core.getObject().refusesSocketIo();
		if (busy != null) {
			return Mono.just(busy);
		}
		String clientId = clientId(handshake, auth);
		boolean serverSide = auth.path("subscribe").asBoolean(true);
		return this.core.getObject()
			.socketIoPrincipal(handshake, auth)
			.flatMap((principal) -> decide(principal, clientId, serverSide, RecoveryRequest.from(auth).orElse(null)))
			.switchIfEmpty(Mono.fromSupplier(() -> refuse("no token: connect with auth {\"token\": ...}")))
			.onErrorResume((ex) -> Mono.just(refuse(ex.getMessage())));
	}

	private Mono<ConnectDecision> decide(HubPrincipal principal, String clientId, boolean serverSide,
			RecoveryRequest request) {
		// before a resume record is taken: a refused client keeps it for its retry
		ConnectDecision tooMany = this.core.getObject().refusesSubject(principal);
		if (tooMany != null) {
			return Mono.just(tooMany);
		}
		if (request == null || !plausiblePid(request.pid())) {
			return Mono.just(fresh(principal, clientId, serverSide));
		}
		return this.resumes.take(request.pid(), principal.subject())
			.flatMap((record) -> resumePoints(record, request.offset()))
			.flatMap((points) -> recoverable(points).map((all) -> all
					? recovered(principal, request, points, serverSide) : fresh(principal, clientId, serverSide)))
			.switchIfEmpty(Mono.fromSupplier(() -> {
				logger.debug("Socket.IO session {} has no resume record for its user: connected afresh", request.pid());
				return fresh(principal, clientId, serverSide);
			}))
			.onErrorResume((ex) -> {
				// Recovery is an optimisation: when its record cannot be read the client
				// refetches state, as after a long disconnect.
				logger.debug("Socket.IO recovery of {} failed", request.pid(), ex);
				return Mono.just(fresh(principal, clientId, serverSide));
			});
	}

	/**
	 * Whether a pid a client presents can be one this hub gave (a UUID: short, of id
	 * characters): anything else is not looked up.
	 */
	static boolean plausiblePid(String pid) {
		return pid.length() <= MAX_PID && Channel.isValidId(pid);
	}

	private ConnectDecision fresh(HubPrincipal principal, String clientId, boolean serverSide) {
		String pid = UUID.randomUUID().toString();
		return ConnectDecision.acceptWithPid(
				this.core.getObject().socketIo(principal, new Accepted(clientId, pid, null, serverSide)), pid);
	}

	private ConnectDecision recovered(HubPrincipal principal, RecoveryRequest request, Resume resume,
			boolean serverSide) {
		return ConnectDecision.recovered(
				this.core.getObject()
					.socketIo(principal, new Accepted(resume.clientId(), request.pid(), resume, serverSide)),
				request, resume.socketId());
	}

	/** Whether every channel can be replayed from its resume point. */
	private Mono<Boolean> recoverable(Resume resume) {
		return Flux.fromIterable(resume.points().entrySet())
			.concatMap((entry) -> this.recovery.recover(entry.getKey(), entry.getValue().epoch(),
					entry.getValue().offset()))
			.all((outcome) -> Boolean.TRUE.equals(outcome.recovered()));
	}

	/**
	 * A socket ended: unless it left on purpose, keeps where each channel stands for a
	 * reconnect with its pid.
	 */
	void closed(GatewaySession session, SocketIoTransport transport) {
		DisconnectReason reason = transport.disconnectReason();
		if (reason == DisconnectReason.CLIENT_NAMESPACE_DISCONNECT
				|| reason == DisconnectReason.SERVER_NAMESPACE_DISCONNECT) {
			return;
		}
		List<ResumeRecord.Position> channels = new ArrayList<>();
		for (SubscriptionState state : session.subscriptions().values()) {
			if (state.epoch() == null) {
				return; // still opening: its position is not known, so nothing can be
						// resumed
			}
			channels
				.add(new ResumeRecord.Position(state.channel(), state.implicit(), state.epoch(), state.lastOffset()));
		}
		SocketIoTransport.Recent recent = transport.recent();
		ResumeRecord record = new ResumeRecord(session.principal().subject(), session.clientId(),
				transport.socket().id(), channels, recent.offsets(), recent.complete());
		this.pendingSaves.begin();
		this.resumes.save(session.resumeId(), record, this.resumeTtl)
			.doFinally((signal) -> this.pendingSaves.end())
			.subscribe(null, (ex) -> logger.debug("Could not keep Socket.IO resume record {}", session.resumeId(), ex));
	}

	/**
	 * Where each channel stood when the client got its last event ({@code offset}): the
	 * position recorded at disconnect, less the events sent after that one (offsets are
	 * gapless per channel and sent in order). Empty when the record cannot tell.
	 */
	static Mono<Resume> resumePoints(ResumeRecord record, String offset) {
		List<String> recent = record.recent();
		int cut = (offset != null) ? recent.lastIndexOf(offset) : -1;
		if ((offset != null && cut < 0) || (offset == null && !record.complete())) {
			return Mono.empty();
		}
		Map<String, Integer> after = new HashMap<>();
		for (String sent : recent.subList(cut + 1, recent.size())) {
			int at = sent.lastIndexOf('@');
			if (at > 0) {
				after.merge(sent.substring(0, at), 1, Integer::sum);
			}
		}
		Map<String, ResumePoint> points = new HashMap<>();
		List<String> explicit = new ArrayList<>();
		for (ResumeRecord.Position channel : record.channels()) {
			points.put(channel.channel(),
					new ResumePoint(channel.epoch(), channel.offset() - after.getOrDefault(channel.channel(), 0)));
			if (!channel.implicit()) {
				explicit.add(channel.channel());
			}
		}
		return Mono.just(new Resume(points, explicit, record.subject(), record.clientId(), record.socketId(), offset));
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
		return handshake.headers().getFirst("x-client-id");
	}

	/**
	 * What the namespace decided for an accepted socket.
	 *
	 * @param clientId the client id it asks for, or {@code null}
	 * @param pid its recovery id
	 * @param resume what it resumes, or {@code null} for a fresh socket
	 * @param serverSide whether to subscribe it to its workspaces' channels (unless
	 * {@code auth.subscribe} is {@code false})
	 */
	record Accepted(String clientId, String pid, Resume resume, boolean serverSide) {

	}

	/**
	 * What a recovered socket resumes.
	 *
	 * @param points every channel's resume point
	 * @param explicit the channels it subscribed to itself
	 * @param subject the user whose socket it was
	 * @param clientId its client id
	 * @param socketId its old socket id, or {@code null}
	 * @param offset the offset of the last event the client got, or {@code null}
	 */
	record Resume(Map<String, ResumePoint> points, List<String> explicit, String subject, String clientId,
			String socketId, String offset) {

	}

}
