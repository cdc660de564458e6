package dev.agenthub.gateway.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.Dialect;
import dev.agenthub.support.connection.WebSocketTransport;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code {"type":"sync_request","data":{"since":"<ISO-8601>","cursor"?:"..."}}} (seed
 * 003's clients may name the time {@code timestamp}) →
 * {@code {"type":"sync_response","data":{"changes":[...],"syncTimestamp":"...",
 * "hasMore":false,"cursor"?:"..."}}}: the logged events after {@code since} on the
 * channels this connection may see, oldest first, a page at a time. A user sees its
 * workspaces' {@code workspace:} channels, its {@code user:} and {@code client:} channels
 * and {@code broadcast}; admins and services everything.
 */
@Component
class SyncMessages implements GatewayMessageHandler {

	private final SyncClient client;

	private final int pageSize;

	/**
	 * Most bytes of event data in a page: a quarter of what may be queued for the
	 * connection (a page is one message; one past that bound closes the connection,
	 * 4010).
	 */
	private final long pageBytes;

	SyncMessages(SyncClient client, GatewayProperties properties) {
		this.client = client;
		this.pageSize = properties.syncPageSize();
		this.pageBytes = Math.max(1, properties.maxOutboundBytes() / 4);
	}

	@Override
	public Set<String> types() {
		return Set.of(MessageTypes.SYNC_REQUEST);
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		// Seed 003's clients may name the time timestamp
		// ({"type":"sync_request","timestamp"}).
		String sinceText = message.optionalText("since");
		if (sinceText == null) {
			sinceText = message.optionalText("timestamp");
		}
		Instant since = since((sinceText != null) ? sinceText : message.requireText("since"));
		String cursor = message.optionalText("cursor");
		// Seed 003's clients (the event dialect) sync entity changes; others, events. A
		// request may name its kind.
		String kind = message.optionalText("kind");
		if (kind == null && session.connection().transport() instanceof WebSocketTransport transport
				&& transport.dialect() == Dialect.EVENT) {
			kind = "changes";
		}
		if (kind != null && !kind.equals("events") && !kind.equals("changes")) {
			throw ContractViolation.badRequest("sync_request: kind must be events or changes");
		}
		return this.client.page(since, visibleChannels(session), cursor, this.pageSize, kind, this.pageBytes)
			.doOnNext((page) -> session.send(ServerMessage.of(MessageTypes.SYNC_RESPONSE, message.id(), page)))
			.then();
	}

	/**
	 * In the log's filter syntax, what follows a channel's name to read it only from a
	 * time on ({@code client:desktop-1~2026-12-07T18:00:00Z}).
	 */
	static final String SINCE = "~";

	/** What the connection may read, in the log's filter syntax. */
	static List<String> visibleChannels(GatewaySession session) {
		HubPrincipal principal = session.principal();
		if (principal.isAdmin() || principal.has(Role.SERVICE)) {
			return List.of("*");
		}
		List<String> channels = new ArrayList<>();
		channels.add(Channel.BROADCAST.name());
		channels.add(Channel.user(principal.subject()).name());
		// what was sent to the client id before its claim began is not this connection's
		Instant clientSince = session.clientSince();
		channels.add(Channel.client(session.clientId()).name()
				+ ((clientSince != null) ? SINCE + clientSince.toString() : ""));
		if (principal.has(Role.AGENT) && principal.workspace() != null) {
			channels.add(Channel.workspace(principal.workspace()).name());
		}
		else if (principal.workspaces().contains(Claims.ALL_WORKSPACES)) {
			channels.add("workspace:");
		}
		else {
			for (String workspace : principal.workspaces()) {
				try {
					channels.add(Channel.workspace(workspace).name());
				}
				catch (ContractViolation ex) {
					// A workspace id that cannot name a channel has no events to sync.
				}
			}
		}
		return channels;
	}

	private static Instant since(String text) {
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw ContractViolation
				.badRequest("sync_request: data.since must be an ISO-8601 time such as 2026-01-31T12:00:00Z but was '"
						+ text + "'");
		}
	}

}
