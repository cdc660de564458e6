package dev.agenthub.integration.provision;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.integration.IntegrationServiceTestBase;
import dev.agenthub.integration.shim.ReleaseStore;
import dev.agenthub.integration.shim.SemVer;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/workspaces/{id}/provision} against
 * {@link dev.agenthub.integration.tailscale.FakeTailscale} and a real PostgreSQL shim
 * registry.
 */
class ProvisionIntegrationTests extends IntegrationServiceTestBase {

	static final String SERVICE = TestTokens.service("workspace-service");

	@Autowired
	ReactiveJwtDecoder decoder;

	@Autowired
	ReleaseStore store;

	@BeforeEach
	void resetFake() {
		TAILSCALE.reset();
	}

	@Test
	void shouldHandANewContainerEverythingItNeedsInOneCall() throws Exception {
		byte[] shim = "#!/bin/sh\necho fake chromium\n".getBytes();
		// a version below the shim tests' (they share this database and expect theirs
		// latest)
		this.store.put(SemVer.parse("7.1.0"), Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(shim)), 1 << 20)
			.block(Duration.ofSeconds(10));
		JsonNode answer = provision("w1", Map.of("repository", "acme/web"), SERVICE).expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode env = answer.get("env");

		assertThat(env.get("TAILSCALE_AUTHKEY").asString()).startsWith("tskey-auth-");
		assertThat(env.get("TAILSCALE_HOSTNAME").asString()).isEqualTo("ws-w1");
		JsonNode sent = HubJson.parse(TAILSCALE.lastCreateBody());
		JsonNode create = sent.path("capabilities").path("devices").path("create");
		assertThat(create.get("ephemeral").asBoolean()).isTrue();
		assertThat(create.get("preauthorized").asBoolean()).isTrue();
		assertThat(create.get("reusable").asBoolean()).isFalse();
		assertThat(sent.get("expirySeconds").asLong()).isEqualTo(3600);
		assertThat(sent.get("description").asString()).isEqualTo("hub w1 acme-web");
		assertThat(answer.get("tailscale").get("keyId").asString()).endsWith("CNTRL");
		assertThat(answer.get("tailscale").toString()).doesNotContain("tskey-auth-");

		assertThat(env.get("SESSION_HUB_URL").asString()).isEqualTo("http://localhost:8081");
		assertThat(env.get("HUB_AGENT_URL").asString()).isEqualTo("ws://localhost:8081/agent/ws");
		assertThat(env.get("HUB_AGENT_WORKSPACE_ID").asString()).isEqualTo("w1");
		Jwt token = this.decoder.decode(env.get("HUB_AGENT_TOKEN").asString()).block(Duration.ofSeconds(5));
		assertThat(token.getSubject()).isEqualTo("agent-w1").isEqualTo(env.get("HUB_AGENT_ID").asString());
		assertThat(token.getClaimAsStringList("roles")).containsExactly("agent");
		assertThat(token.getClaimAsString("workspace")).isEqualTo("w1");
		assertThat(token.getExpiresAt()).isBetween(Instant.now().plus(Duration.ofHours(23)),
				Instant.now().plus(Duration.ofHours(25)));

		assertThat(env.get("CHROME_PATH").asString()).isEqualTo("/usr/local/bin/chromium");
		assertThat(env.get("CDP_HOST").asString()).isEqualTo("localhost");
		assertThat(env.get("CDP_PORT").asString()).isEqualTo("9222");

		String latest = client().get()
			.uri("/api/cdp-shim/releases/latest")
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("version")
			.asString();
		assertThat(answer.get("cdpShim").get("version").asString()).isEqualTo(latest);
		URI url = URI.create(env.get("CDP_SHIM_URL").asString());
		assertThat(url.getPath()).isEqualTo("/api/cdp-shim/bundle");
		byte[] downloaded = client().get()
			.uri(url.getRawPath() + "?" + url.getRawQuery())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(sha256(downloaded)).isEqualTo(env.get("CDP_SHIM_SHA256").asString())
			.isEqualTo(answer.get("cdpShim").get("sha256").asString());
		assertThat(answer.get("install").toString()).contains("sha256sum -c")
			.contains("chmod +x /usr/local/bin/chromium");
		assertThat(answer.get("warnings").isEmpty()).isTrue();

		// the agent id is the workspace's at agent-service before the sidecar exists,
		// reserved with a service token
		assertThat(AGENT_SERVICE.ownerOf("agent-w1")).isEqualTo("w1");
		Jwt service = this.decoder
			.decode(AGENT_SERVICE.authorizations()
				.get(AGENT_SERVICE.authorizations().size() - 1)
				.substring("Bearer ".length()))
			.block(Duration.ofSeconds(5));
		assertThat(service.getClaimAsStringList("roles")).containsExactly("service");
	}

	/**
	 * Another workspace's agent named {@code agent-w9} in an AI agent's event before w9
	 * was provisioned (the id is predictable), so {@code agent:agent-w9} is that
	 * workspace's: w9's sidecar gets an id of its own nobody could guess, and its token
	 * says so. Before, w9's sidecar was handed the taken id and lost its channel.
	 */
	@Test
	void shouldGiveAFreshAgentIdWhenAnotherWorkspaceHoldsThePredictableOne() throws Exception {
		AGENT_SERVICE.reserved("agent-w9", "squatter");
		JsonNode env = provision("w9", null, SERVICE).expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("env");
		String agentId = env.get("HUB_AGENT_ID").asString();
		assertThat(agentId).matches("agent-w9-[0-9a-f]{8}");
		assertThat(AGENT_SERVICE.ownerOf(agentId)).isEqualTo("w9");
		assertThat(AGENT_SERVICE.ownerOf("agent-w9")).isEqualTo("squatter");
		Jwt token = this.decoder.decode(env.get("HUB_AGENT_TOKEN").asString()).block(Duration.ofSeconds(5));
		assertThat(token.getSubject()).isEqualTo(agentId);
		// provisioned again, the workspace keeps an id of its own
		assertThat(provision("w9", null, SERVICE).expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.path("env")
			.path("HUB_AGENT_ID")
			.asString()).startsWith("agent-w9-");
	}

	@Test
	void shouldRefuseAnAgentIdOfAnotherWorkspaceBeforeCallingTailscale() {
		AGENT_SERVICE.reserved("taken-1", "other");
		provision("w10", Map.of("agentId", "taken-1"), SERVICE).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("conflict")
			.jsonPath("$.error")
			.isEqualTo("could not provision workspace w10: agent id taken-1 belongs to another workspace");
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	@Test
	void shouldSayClearlyWhenAgentServiceCannotReserveTheId() {
		AGENT_SERVICE.failWith(500);
		try {
			provision("w11", null, SERVICE).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("unavailable")
				.jsonPath("$.error")
				.value((message) -> assertThat(message.toString())
					.startsWith("could not provision workspace w11: agent-service did not reserve agent id agent-w11")
					.contains("500"));
		}
		finally {
			AGENT_SERVICE.failWith(0);
		}
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	@Test
	void shouldMintAFreshTokenAndASingleUseKeyEachTime() {
		JsonNode first = provision("w2", null, SERVICE).expectBody(JsonNode.class).returnResult().getResponseBody();
		JsonNode second = provision("w2", Map.of("agentId", "sidecar-2"), TestTokens.admin("ops"))
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(TAILSCALE.calls("createKey")).isEqualTo(2);
		assertThat(first.get("env").get("TAILSCALE_AUTHKEY").asString())
			.isNotEqualTo(second.get("env").get("TAILSCALE_AUTHKEY").asString());
		assertThat(second.get("env").get("HUB_AGENT_ID").asString()).isEqualTo("sidecar-2");
		assertThat(first.get("env").get("HUB_AGENT_TOKEN").asString())
			.isNotEqualTo(second.get("env").get("HUB_AGENT_TOKEN").asString());
	}

	@Test
	void shouldRefuseUsersAgentsAndAnonymousCallers() {
		provision("w1", null, TestTokens.user("alice", "w1")).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		provision("w1", null, TestTokens.agent("agent-w1", "w1")).expectStatus().isForbidden();
		provision("w1", null, null).expectStatus().isUnauthorized();
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	@Test
	void shouldRefuseBadWorkspaceAndAgentIdsBeforeCallingTailscale() {
		for (String workspace : List.of("w!1", "a:b", "x".repeat(200))) {
			provision(workspace, null, SERVICE).expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("bad_request");
		}
		provision("w1", Map.of("agentId", "bad agent/id"), SERVICE).expectStatus().isBadRequest();
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	/**
	 * Ids that pass as a channel id but that a later step cannot take: Tailscale's host
	 * names want a letter or digit first and no {@code @}; the agent id
	 * {@code agent-<workspace>} (and its fallback with 9 more characters) must stay a
	 * channel id of at most 128. Before, {@code a@b}, {@code _w} and {@code .w} got 400
	 * from the Tailscale step after {@code agent-a@b} was already reserved (left behind),
	 * and a 125-character id got 503 "unavailable" for agent-service's permanent refusal.
	 */
	@Test
	void shouldRefuseWorkspaceIdsALaterStepCannotTakeBeforeReservingAnything() {
		for (String workspace : List.of("a@b", "_w", ".w", "x".repeat(114), "y".repeat(125))) {
			int reservations = AGENT_SERVICE.authorizations().size();
			provision(workspace, null, SERVICE).expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("bad_request")
				.jsonPath("$.error")
				.value((message) -> assertThat(message.toString())
					.startsWith("could not provision workspace " + workspace + ": the workspace id must be"));
			assertThat(AGENT_SERVICE.authorizations()).as("reservations asked for %s", workspace).hasSize(reservations);
			assertThat(AGENT_SERVICE.ownerOf("agent-" + workspace)).isNull();
		}
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	/** The longest id still fits its agent id, also the fallback with a random suffix. */
	@Test
	void shouldProvisionTheLongestWorkspaceIdEvenWhenItsPredictableAgentIdIsTaken() {
		String workspace = "l".repeat(113);
		AGENT_SERVICE.reserved("agent-" + workspace, "squatter");
		String agentId = provision(workspace, null, SERVICE).expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.path("env")
			.path("HUB_AGENT_ID")
			.asString();
		assertThat(agentId).hasSize(128).startsWith("agent-" + workspace + "-");
		assertThat(AGENT_SERVICE.ownerOf(agentId)).isEqualTo(workspace);
	}

	/**
	 * agent-service refusing the reservation for good (400) is not "try again later".
	 * Before: 503 unavailable.
	 */
	@Test
	void shouldReportAPermanentRefusalOfAgentServiceAsABadRequest() {
		AGENT_SERVICE.failWith(400,
				"{\"code\":\"bad_request\",\"error\":\"channel id is longer than 128 characters\"}");
		try {
			provision("w12", null, SERVICE).expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("bad_request")
				.jsonPath("$.error")
				.isEqualTo("could not provision workspace w12: agent-service refused agent id agent-w12:"
						+ " channel id is longer than 128 characters");
		}
		finally {
			AGENT_SERVICE.failWith(0);
		}
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	@Test
	void shouldSayClearlyWhenTailscaleFails() {
		TAILSCALE.fail("createKey", 503, null, 10);
		provision("w3", null, SERVICE).expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unavailable")
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).startsWith("could not provision workspace w3: ")
				.contains("Tailscale"));
		TAILSCALE.reset();
		TAILSCALE.hang("createKey");
		provision("w3", null, SERVICE).expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("Tailscale did not answer in time"));
	}

	WebTestClient.ResponseSpec provision(String workspace, Map<String, Object> body, String token) {
		WebTestClient.RequestBodySpec request = client().post()
			.uri("/api/workspaces/" + workspace + "/provision")
			.headers((headers) -> {
				if (token != null) {
					headers.setBearerAuth(token);
				}
			});
		if (body != null) {
			return request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
		}
		return request.exchange();
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
