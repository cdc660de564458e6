package dev.agenthub.gateway.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.gateway.metrics.GatewayMeters;
import dev.agenthub.gateway.session.SessionRegistry;
import dev.agenthub.support.auth.CurrentPrincipal;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The operator view's data (admin token only): {@code GET /api/operator/overview} gathers
 * this node's connections, channels and closes, the agents (agent-service), the log
 * writer's lag (engine against broadcast-service's log), Tailscale devices and CDP shim
 * releases (integration-service). A part whose service does not answer carries
 * {@code error} instead of {@code value}; the rest is still shown.
 * {@code POST /api/operator/cdp-shim/releases} streams an upload to integration-service.
 */
@RestController
class OperatorController {

	private final LocalSnapshot local;

	private final SessionRegistry sessions;

	private final HubServices services;

	private final LogLagProbe lag;

	private final String node;

	OperatorController(LocalSnapshot local, SessionRegistry sessions, HubServices services, LogLagProbe lag,
			@Value("${spring.application.name:gateway-service}") String name,
			@Value("${HOSTNAME:localhost}") String host) {
		this.local = local;
		this.sessions = sessions;
		this.services = services;
		this.lag = lag;
		this.node = name + "@" + host;
	}

	@GetMapping("/api/operator/overview")
	Mono<Overview> overview() {
		return admin().flatMap((principal) -> {
			Mono<Part<List<JsonNode>>> agents = part(this.services.agents());
			Mono<Part<JsonNode>> devices = part(this.services.tailscaleDevices().map((d) -> d.path("devices")));
			Mono<Part<JsonNode>> shim = part(this.services.shimReleases());
			return Mono.zip(agents, devices, shim).flatMap((parts) -> {
				List<JsonNode> agentList = (parts.getT1().value() != null) ? parts.getT1().value() : List.of();
				List<String> workspaceIds = agentList.stream().map((a) -> a.path("workspaceId").asString()).toList();
				Map<String, Integer> channels = this.local.subscriberCounts();
				return part(this.lag.probe(workspaceIds)).map((lagPart) -> new Overview(Instant.now().toString(),
						gateway(channels.size()), this.local.busiest(channels), this.local.closes(), parts.getT1(),
						agentNodes(agentList), workspaces(agentList, channels), lagPart, parts.getT2(), parts.getT3()));
			});
		});
	}

	@PostMapping("/api/operator/cdp-shim/releases")
	Mono<ResponseEntity<JsonNode>> uploadShim(ServerHttpRequest request,
			@RequestParam(name = "version", required = false) String version) {
		return admin()
			.flatMap((principal) -> this.services.uploadShim(request.getHeaders(), request.getBody(), version));
	}

	private Map<String, Object> gateway(int channels) {
		Map<String, Object> g = new TreeMap<>();
		g.put("node", this.node);
		g.put("clients", this.sessions.size());
		g.put("authenticatedClients", this.sessions.authenticated());
		g.put("subscriptions", this.sessions.subscriptions());
		g.put("channels", channels);
		g.put("messagesIn", this.local.count(GatewayMeters.MESSAGES_IN));
		g.put("messagesOut", this.local.count(GatewayMeters.MESSAGES_OUT));
		return g;
	}

	private static List<AgentNode> agentNodes(List<JsonNode> agents) {
		Map<String, int[]> byNode = new TreeMap<>();
		for (JsonNode agent : agents) {
			int[] counts = byNode.computeIfAbsent(agent.path("nodeId").asString("unknown"), (n) -> new int[2]);
			counts[0]++;
			if ("connected".equals(agent.path("status").asString())) {
				counts[1]++;
			}
		}
		List<AgentNode> out = new ArrayList<>();
		byNode.forEach((node, counts) -> out.add(new AgentNode(node, counts[0], counts[1])));
		return out;
	}

	private static List<WorkspaceRow> workspaces(List<JsonNode> agents, Map<String, Integer> channels) {
		return agents.stream()
			.map((a) -> new WorkspaceRow(a.path("workspaceId").asString(), a.path("status").asString("unknown"),
					a.path("version").asString(null), a.path("lifecycle").asString(null),
					a.path("nodeId").asString(null),
					channels.getOrDefault("workspace:" + a.path("workspaceId").asString(), 0)))
			.toList();
	}

	private static Mono<HubPrincipal> admin() {
		return CurrentPrincipal.get()
			.filter(HubPrincipal::isAdmin)
			.switchIfEmpty(Mono
				.error(() -> new ContractViolation(ErrorCode.FORBIDDEN, "the operator API needs an admin token")));
	}

	private static <T> Mono<Part<T>> part(Mono<T> source) {
		return source.map((value) -> new Part<>(value, null))
			.onErrorResume((ex) -> Mono.just(new Part<>(null, message(ex))));
	}

	private static String message(Throwable ex) {
		String text = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		if (ex instanceof WebClientResponseException response) {
			// The service's own reason ({"code","error"}) says more than the status line.
			try {
				String error = HubJson.parse(response.getResponseBodyAsString()).path("error").asString("");
				text = response.getStatusCode().value() + ": " + (error.isBlank() ? text : error);
			}
			catch (RuntimeException notJson) {
				// keep the status line
			}
		}
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	/**
	 * One part of the overview: its value, or why it is missing.
	 *
	 * @param <T> the value's type
	 * @param value the value, or {@code null}
	 * @param error why it is missing, or {@code null}
	 */
	record Part<T>(T value, String error) {

	}

	/**
	 * The operator view's data.
	 *
	 * @param generatedAt when it was gathered
	 * @param gateway this gateway node's counts
	 * @param channels this node's channels with subscribers, busiest first
	 * @param closes this node's closes by reason
	 * @param agents every agent (agent-service's records)
	 * @param agentNodes agent-service nodes holding agents
	 * @param workspaces workspaces with their agents
	 * @param logLag the durable log writer's lag
	 * @param tailscale Tailscale devices
	 * @param shim CDP shim releases
	 */
	record Overview(String generatedAt, Map<String, Object> gateway, List<LocalSnapshot.ChannelLoad> channels,
			List<LocalSnapshot.Closes> closes, Part<List<JsonNode>> agents, List<AgentNode> agentNodes,
			List<WorkspaceRow> workspaces, Part<LogLagProbe.Lag> logLag, Part<JsonNode> tailscale,
			Part<JsonNode> shim) {

	}

	/**
	 * An agent-service node.
	 *
	 * @param nodeId its id
	 * @param agents agents it held last
	 * @param connected of which connected now
	 */
	record AgentNode(String nodeId, int agents, int connected) {

	}

	/**
	 * A workspace with its agent.
	 *
	 * @param workspaceId the workspace
	 * @param status its agent's status
	 * @param version the agent's version
	 * @param lifecycle what the agent last reported
	 * @param nodeId the agent-service node that holds it
	 * @param watchers connections watching it on this gateway
	 */
	record WorkspaceRow(String workspaceId, String status, String version, String lifecycle, String nodeId,
			int watchers) {

	}

}
