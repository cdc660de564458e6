package dev.agenthub.integration.provision;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * agent-service's channel owner API as provisioning uses it ({@code PUT
 * /api/channels/agent:{id}/owner {"workspaceId"}}): the first workspace to reserve an id
 * keeps it, another gets 409, as {@code ChannelOwnerController} answers (its own tests
 * run against the real one). It remembers each request's bearer token.
 */
public final class FakeAgentService implements AutoCloseable {

	private final Map<String, String> owners = new ConcurrentHashMap<>();

	private final List<String> tokens = new CopyOnWriteArrayList<>();

	private volatile int failWith;

	private volatile String failBody = "{}";

	private final DisposableServer server;

	private FakeAgentService() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.put("/api/channels/{channel}/owner", (request, response) -> {
				this.tokens.add(String.valueOf(request.requestHeaders().get("Authorization")));
				String channel = URLDecoder.decode(request.param("channel"), StandardCharsets.UTF_8);
				return request.receive().aggregate().asString().flatMap((body) -> {
					if (this.failWith != 0) {
						return response.status(this.failWith).sendString(Mono.just(this.failBody)).then();
					}
					try {
						// the real one refuses what is not a channel name (e.g. an id
						// over 128)
						Channel.parse(channel);
					}
					catch (ContractViolation ex) {
						return response.status(HttpResponseStatus.BAD_REQUEST)
							.header("Content-Type", "application/json")
							.sendString(Mono.just(HubJson
								.write(HubJson.object().put("code", "bad_request").put("error", ex.getMessage()))))
							.then();
					}
					String workspace = HubJson.parse(body).path("workspaceId").asString();
					String owner = this.owners.putIfAbsent(channel, workspace);
					if (owner != null && !owner.equals(workspace)) {
						return response.status(HttpResponseStatus.CONFLICT)
							.sendString(Mono.just("{\"code\":\"conflict\",\"error\":\"" + channel
									+ " already belongs to another workspace\"}"))
							.then();
					}
					return response.header("Content-Type", "application/json")
						.sendString(
								Mono.just("{\"channel\":\"" + channel + "\",\"workspaceId\":\"" + workspace + "\"}"))
						.then();
				});
			}))
			.bindNow();
	}

	public static FakeAgentService start() {
		return new FakeAgentService();
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** The workspace an agent id is reserved for, or {@code null}. */
	public String ownerOf(String agentId) {
		return this.owners.get("agent:" + agentId);
	}

	/** Reserves an id as another workspace had, before. */
	public void reserved(String agentId, String workspace) {
		this.owners.put("agent:" + agentId, workspace);
	}

	/** Answers every request with that status from now on (0: answers again). */
	public void failWith(int status) {
		failWith(status, "{}");
	}

	/** Answers every request with that status and body from now on (0: answers again). */
	public void failWith(int status, String body) {
		this.failBody = body;
		this.failWith = status;
	}

	/** The bearer tokens presented, oldest first. */
	public List<String> authorizations() {
		return this.tokens;
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
