package dev.agenthub.integration.tailscale;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.integration.IntegrationServiceTestBase;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Tailscale API of the hub with an API access token, against {@link FakeTailscale}.
 */
class TailscaleApiKeyIntegrationTests extends IntegrationServiceTestBase {

	static final String SERVICE = TestTokens.service("agent-service");

	@Autowired
	Broker broker;

	@BeforeEach
	void resetFake() {
		TAILSCALE.reset();
	}

	@Test
	void shouldCreateAnEphemeralPreauthorizedSingleUseKeyForAWorkspace() {
		JsonNode key = createKey(
				Map.of("workspaceId", "w1", "repository", "acme/web", "tags", List.of("tag:workspace")))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(key.get("id").asString()).endsWith("CNTRL");
		assertThat(key.get("key").asString()).startsWith("tskey-auth-");
		assertThat(key.get("expiresAt").asString()).isNotEmpty();
		assertThat(key.get("tags").toString()).isEqualTo("[\"tag:workspace\"]");
		assertThat(key.get("hostname").asString()).isEqualTo("ws-w1");
		assertThat(key.get("ephemeral").asBoolean()).isTrue();

		JsonNode sent = HubJson.parse(TAILSCALE.lastCreateBody());
		JsonNode create = sent.path("capabilities").path("devices").path("create");
		assertThat(create.get("reusable").asBoolean()).isFalse();
		assertThat(create.get("ephemeral").asBoolean()).isTrue();
		assertThat(create.get("preauthorized").asBoolean()).isTrue();
		assertThat(create.get("tags").toString()).isEqualTo("[\"tag:workspace\"]");
		assertThat(sent.get("expirySeconds").asLong()).isEqualTo(3600);
		assertThat(sent.get("description").asString()).isEqualTo("hub w1 acme-web");
	}

	@Test
	void shouldKeepDescriptionsWithinTailscaleRules() {
		String workspace = "ws_" + "abc.def-".repeat(12);
		createKey(Map.of("workspaceId", workspace, "repository", "github.com/Org/Very_Long.Repository.Name!",
				"expirySeconds", 600, "reusable", true))
			.expectStatus()
			.isCreated();
		JsonNode sent = HubJson.parse(TAILSCALE.lastCreateBody());
		assertThat(sent.get("description").asString()).hasSizeLessThanOrEqualTo(50).matches("[A-Za-z0-9 -]+");
		assertThat(sent.get("expirySeconds").asLong()).isEqualTo(600);
		assertThat(sent.path("capabilities").path("devices").path("create").get("reusable").asBoolean()).isTrue();
	}

	@Test
	void shouldRefuseMalformedTagsAndExpiriesBeforeCallingTailscale() {
		for (String tag : List.of("workspace", "tag:1abc", "tag:a_b", "tag:")) {
			createKey(Map.of("workspaceId", "w1", "tags", List.of(tag))).expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.error")
				.value((message) -> assertThat(message.toString()).contains(tag, "not a Tailscale tag"));
		}
		createKey(Map.of("workspaceId", "w1", "expirySeconds", 0)).expectStatus().isBadRequest();
		createKey(Map.of("workspaceId", "w1", "expirySeconds", 90L * 24 * 3600 + 1)).expectStatus().isBadRequest();
		createKey(Map.of("repository", "r")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("workspaceId"));
		assertThat(TAILSCALE.calls("createKey")).isZero();
	}

	@Test
	void shouldPassTailscalesOwnRefusalOnClearly() {
		createKey(Map.of("workspaceId", "w1", "tags", List.of("tag:unowned"))).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("bad_request")
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("Tailscale rejected the request",
					"requested tags [tag:unowned] are invalid or not permitted"));
	}

	@Test
	void shouldNeverRetryKeyCreation() {
		TAILSCALE.fail("createKey", 503, null, 1);
		createKey(Map.of("workspaceId", "w1")).expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unavailable");
		TAILSCALE.fail("createKey", 429, "0", 1);
		createKey(Map.of("workspaceId", "w1")).expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("rate limiting"));
		TAILSCALE.hang("createKey");
		createKey(Map.of("workspaceId", "w1")).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(TAILSCALE.calls("createKey")).isEqualTo(3);
	}

	@Test
	void shouldRetryIdempotentCallsHonouringRetryAfter() {
		TAILSCALE.addDevice("nA", "ws-a", List.of("tag:workspace"), true);
		TAILSCALE.fail("listDevices", 429, "1", 1);
		TAILSCALE.fail("listDevices", 429, null, 1);
		TAILSCALE.fail("listDevices", 504, null, 1);
		devices("").expectStatus().isOk().expectBody().jsonPath("$.devices[0].id").isEqualTo("nA");
		assertThat(TAILSCALE.calls("listDevices")).isEqualTo(4);
		client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics)
				.contains("hub_tailscale_retries_total{operation=\"list devices\"}"));
	}

	@Test
	void shouldRetryAfterATimeout() {
		TAILSCALE.hang("listDevices");
		devices("").expectStatus().isOk();
		assertThat(TAILSCALE.calls("listDevices")).isEqualTo(2);
	}

	@Test
	void shouldGiveUpAfterBoundedRetries() {
		TAILSCALE.fail("deleteDevice", 500, null, 10);
		client().delete()
			.uri("/api/tailscale/devices/n1")
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("Tailscale failed (500)"));
		assertThat(TAILSCALE.calls("deleteDevice")).isEqualTo(4);
	}

	@Test
	void shouldListDevicesWithServerSideFilters() {
		TAILSCALE.addDevice("n1", "ws-w1", List.of("tag:ci"), true);
		TAILSCALE.addDevice("n2", "ws-w2", List.of("tag:ci"), false);
		TAILSCALE.addDevice("n3", "laptop", List.of(), false);
		devices("?tag=tag:ci&ephemeral=true").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.devices.length()")
			.isEqualTo(1)
			.jsonPath("$.devices[0].id")
			.isEqualTo("n1")
			.jsonPath("$.devices[0].hostname")
			.isEqualTo("ws-w1")
			.jsonPath("$.devices[0].ephemeral")
			.isEqualTo(true)
			.jsonPath("$.devices[0].tags[0]")
			.isEqualTo("tag:ci")
			.jsonPath("$.devices[0].addresses[0]")
			.isNotEmpty();
		assertThat(TAILSCALE.requests()).anySatisfy((request) -> assertThat(request)
			.contains("/api/v2/tailnet/-/devices?", "tags=tag%3Aci", "isEphemeral=true"));
		devices("").expectStatus().isOk().expectBody().jsonPath("$.devices.length()").isEqualTo(3);
		devices("?tag=ci").expectStatus().isBadRequest();
	}

	@Test
	void shouldDeleteDevicesAndKeysTreatingNotFoundAsDone() {
		TAILSCALE.addDevice("n1", "ws-w1", List.of(), true);
		deleteDevice("n1").expectStatus().isNoContent();
		assertThat(TAILSCALE.deviceExists("n1")).isFalse();
		deleteDevice("n1").expectStatus().isNoContent();

		String id = createKey(Map.of("workspaceId", "w1")).expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
		keyRequest(id).expectStatus().isOk().expectBody().jsonPath("$.invalid").isEqualTo(false);
		client().delete()
			.uri("/api/tailscale/auth-keys/" + id)
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isNoContent();
		keyRequest(id).expectStatus().isOk().expectBody().jsonPath("$.invalid").isEqualTo(true);
		client().delete()
			.uri("/api/tailscale/auth-keys/" + id)
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isNoContent();
		keyRequest("kUnknownCNTRL").expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
	}

	@Test
	void shouldOffboardOnlyTheWorkspacesEphemeralDevices() {
		TAILSCALE.addDevice("n1", "ws-w42", List.of("tag:workspace"), true);
		TAILSCALE.addDevice("n2", "ws-w42-2", List.of("tag:workspace"), true);
		TAILSCALE.addDevice("n3", "ws-w420", List.of("tag:workspace"), true);
		TAILSCALE.addDevice("n4", "ws-w42", List.of("tag:workspace"), false);
		TAILSCALE.addDevice("n5", "renamed", List.of("tag:ws-w42"), true);
		JsonNode result = client().post()
			.uri("/api/tailscale/workspaces/w42/offboard")
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(result.get("workspaceId").asString()).isEqualTo("w42");
		assertThat(DeviceView.strings(result.get("deleted"))).as("by its tag or its exact name, never a prefix")
			.containsExactlyInAnyOrder("n1", "n5");
		assertThat(TAILSCALE.deviceExists("n2")).isTrue();
		assertThat(DeviceView.strings(result.get("failed"))).isEmpty();
		assertThat(TAILSCALE.deviceExists("n3")).isTrue();
		assertThat(TAILSCALE.deviceExists("n4")).isTrue();
		assertThat(TAILSCALE.requests()).anySatisfy((request) -> assertThat(request).contains("isEphemeral=true"));

		History history = this.broker.history("workspace:w42", 0, 100).block(Duration.ofSeconds(5));
		assertThat(history.events()).hasSize(2).allSatisfy((publication) -> {
			assertThat(publication.event().type()).isEqualTo("tailscale:status");
			assertThat(publication.event().data().get("online").asBoolean()).isFalse();
		});
	}

	/**
	 * A tailnet whose device list is larger than WebClient's default buffer (256 KiB:
	 * Tailscale's answer here is about 500 KB). Before, offboarding and listing answered
	 * a bare 500 ({@code DataBufferLimitException}).
	 */
	@Test
	void shouldOffboardAndListDevicesOfALargeTailnet() {
		TAILSCALE.addDevices(1000, "ws-other-");
		TAILSCALE.addDevice("n1", "ws-w77", List.of("tag:workspace"), true);
		client().post()
			.uri("/api/tailscale/workspaces/w77/offboard")
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deleted")
			.isEqualTo(List.of("n1"))
			.jsonPath("$.failed")
			.isEmpty();
		client().get()
			.uri("/api/tailscale/devices?ephemeral=true")
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.devices.length()")
			.isEqualTo(1000);
	}

	/**
	 * An answer past {@code hub.tailscale.max-response-size} is refused in the error
	 * contract (503 {@code unavailable}, saying which setting), not retried.
	 */
	@Test
	void shouldAnswerUnavailableForADeviceListPastTheResponseLimit() {
		TAILSCALE.addDevices(1000, "ws-other-");
		TailscaleService small = TailscaleServices.withApiKey(TAILSCALE.url(), FakeTailscale.API_KEY,
				DataSize.ofKilobytes(64));
		StepVerifier.create(small.devices(null, true).then()).expectErrorSatisfies((ex) -> {
			assertThat(ex).isInstanceOf(ContractViolation.class)
				.hasMessageContaining("larger than")
				.hasMessageContaining("hub.tailscale.max-response-size");
			assertThat(((ContractViolation) ex).code()).isEqualTo(ErrorCode.UNAVAILABLE);
		}).verify(Duration.ofSeconds(10));
		StepVerifier.create(small.offboard("w77"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(ContractViolation.class)
				.hasMessageContaining("hub.tailscale.max-response-size"))
			.verify(Duration.ofSeconds(10));
		assertThat(TAILSCALE.calls("listDevices")).as("never retried").isEqualTo(2);
	}

	@Test
	void shouldNotTouchAnotherWorkspacesDevicesWhoseNamesShareAPrefixOrNormaliseAlike() {
		TAILSCALE.addDevice("acme1", "ws-acme", List.of("tag:workspace"), true);
		TAILSCALE.addDevice("prod1", "ws-acme-prod", List.of("tag:workspace"), true);
		TAILSCALE.addDevice("prod2", "ws-acme-prod-1", List.of("tag:workspace"), true);
		TAILSCALE.addDevice("upper1", "ws-" + TailscaleNames.label("Acme"), List.of("tag:workspace"), true);
		JsonNode acme = offboard("acme");
		assertThat(DeviceView.strings(acme.get("deleted"))).containsExactly("acme1");
		JsonNode upper = offboard("Acme");
		assertThat(DeviceView.strings(upper.get("deleted"))).containsExactly("upper1");
		assertThat(TAILSCALE.deviceExists("prod1")).isTrue();
		assertThat(TAILSCALE.deviceExists("prod2")).isTrue();
	}

	private JsonNode offboard(String workspaceId) {
		return client().post()
			.uri("/api/tailscale/workspaces/{id}/offboard", workspaceId)
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void shouldRequireAServiceOrAdminToken() {
		client().post()
			.uri("/api/tailscale/auth-keys")
			.bodyValue(Map.of("workspaceId", "w1"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		for (String token : List.of(TestTokens.user("u1", "w1"), TestTokens.agent("a1", "w1"))) {
			client().post()
				.uri("/api/tailscale/auth-keys")
				.headers((headers) -> headers.setBearerAuth(token))
				.bodyValue(Map.of("workspaceId", "w1"))
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("forbidden");
			client().get()
				.uri("/api/tailscale/devices")
				.headers((headers) -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isForbidden();
			client().post()
				.uri("/api/tailscale/workspaces/w1/offboard")
				.headers((headers) -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isForbidden();
		}
		createKey(Map.of("workspaceId", "w1"), TestTokens.admin("ada")).expectStatus().isCreated();
		assertThat(TAILSCALE.calls("createKey")).isEqualTo(1);
	}

	@Test
	void shouldShowItsStatusWithoutSecrets() {
		String body = client().get()
			.uri("/api/tailscale/status")
			.headers((headers) -> headers.setBearerAuth(TestTokens.user("u1", "w1")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		JsonNode status = HubJson.parse(body);
		assertThat(status.get("configured").asBoolean()).isTrue();
		assertThat(status.get("tailnet").asString()).isEqualTo("-");
		assertThat(status.get("credential").asString()).isEqualTo("api-key");
		assertThat(body).doesNotContain(FakeTailscale.API_KEY);
	}

	WebTestClient.ResponseSpec createKey(Map<String, Object> body) {
		return createKey(body, SERVICE);
	}

	WebTestClient.ResponseSpec createKey(Map<String, Object> body, String token) {
		return client().post()
			.uri("/api/tailscale/auth-keys")
			.headers((headers) -> headers.setBearerAuth(token))
			.bodyValue(body)
			.exchange();
	}

	WebTestClient.ResponseSpec devices(String query) {
		return client().get()
			.uri("/api/tailscale/devices" + query)
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange();
	}

	WebTestClient.ResponseSpec deleteDevice(String id) {
		return client().delete()
			.uri("/api/tailscale/devices/" + id)
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange();
	}

	WebTestClient.ResponseSpec keyRequest(String id) {
		return client().get()
			.uri("/api/tailscale/auth-keys/" + id)
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange();
	}

}
