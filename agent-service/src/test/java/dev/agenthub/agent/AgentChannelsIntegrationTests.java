package dev.agenthub.agent;

import java.time.Duration;
import java.util.List;

import dev.agenthub.agent.owners.ChannelOwnerStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 000 and 004 channels on a real Redis and PostgreSQL: an AI agent's events also on
 * {@code agent:{agentId}} (never into another workspace's agent channel),
 * {@code workspace:updated} from an agent, and owners of {@code agent:} and
 * {@code repository:} channels for the gateway's authorization.
 */
class AgentChannelsIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	static final String SERVICE = TestTokens.service("gateway");

	static AgentNode node;

	static Broker broker;

	@BeforeAll
	static void start() {
		node = AgentNode.start(AgentNode.clusterProperties());
		broker = node.bean(Broker.class);
	}

	@AfterAll
	static void stop() {
		node.close();
	}

	static WsTestClient agent(String workspace) {
		WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent("sidecar-" + workspace, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		agent.awaitType("registered");
		return agent;
	}

	static List<Publication> history(String channel) {
		return broker.history(channel, 0, 100).block(WAIT).events();
	}

	static List<String> types(String channel) {
		return history(channel).stream().map((publication) -> publication.event().type()).toList();
	}

	WebTestClient client() {
		return TestHttp.client(node.port(), WAIT);
	}

	WebTestClient.ResponseSpec owner(String channel) {
		return client().get()
			.uri("/api/channels/{channel}/owner", channel)
			.header("Authorization", "Bearer " + SERVICE)
			.exchange();
	}

	WebTestClient.ResponseSpec recordOwner(String channel, String workspace, String token) {
		return client().put()
			.uri("/api/channels/{channel}/owner", channel)
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"workspaceId\":\"" + workspace + "\"}")
			.exchange();
	}

	@Test
	void shouldAlsoSendAnAiAgentsEventsToItsAgentChannelInOrder() {
		try (WsTestClient agent = agent("wa")) {
			agent.send("{\"type\":\"agent:status\",\"data\":{\"agentId\":\"ai-1\",\"status\":\"working\","
					+ "\"previousStatus\":\"idle\"}}");
			agent.send(
					"{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-1\",\"content\":\"hi\",\"role\":\"assistant\"}}");
			agent.send("{\"type\":\"agent:context\",\"data\":{\"agentId\":\"ai-1\",\"contextLevel\":42}}");
			agent.send("{\"type\":\"workspace:updated\",\"data\":{\"workspaceId\":\"wa\",\"change\":\"renamed\","
					+ "\"data\":{\"name\":\"A\"}}}");
			await().atMost(WAIT).until(() -> types("agent:ai-1").size() == 3);
			assertThat(types("agent:ai-1")).containsExactly("agent:status", "agent:output", "agent:context");
			JsonNode output = HubJson.parse(history("agent:ai-1").get(1).json());
			assertThat(output.get("data").get("content").asString()).isEqualTo("hi");
			await().atMost(WAIT).until(() -> types("workspace:wa").contains("workspace:updated"));
			assertThat(types("workspace:wa")).containsSubsequence("agent:status", "agent:output", "agent:context",
					"workspace:updated");
		}
		owner("agent:ai-1").expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wa");
		owner("agent:sidecar-wa").expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wa");
	}

	@Test
	void shouldNeverRouteIntoAnotherWorkspacesAgentChannel() {
		try (WsTestClient first = agent("wc")) {
			first.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-c\",\"content\":\"mine\"}}");
			await().atMost(WAIT).until(() -> types("agent:ai-c").size() == 1);
		}
		try (WsTestClient intruder = agent("wd")) {
			intruder.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-c\",\"content\":\"injected\"}}");
			// a sidecar agent's id belongs to its workspace too
			intruder.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"sidecar-wc\",\"content\":\"injected\"}}");
			// the intruder's events are published in order: once its own AI agent's event
			// is there, the two before it were decided
			intruder.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-d\",\"content\":\"own\"}}");
			await().atMost(WAIT).until(() -> types("agent:ai-d").size() == 1);
		}
		assertThat(history("agent:ai-c")).hasSize(1);
		assertThat(history("agent:sidecar-wc")).isEmpty();
		assertThat(types("workspace:wd")).containsSubsequence("agent:output", "agent:output", "agent:output");
		owner("agent:ai-c").expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wc");
	}

	/**
	 * Provisioning reserves a sidecar's agent id for its workspace before the sidecar
	 * exists: another workspace's agent naming that (predictable) id in an AI agent's
	 * event then claims nothing, and its sidecar gets its own channel when it comes.
	 * Before, the first event to name the id took the channel for good.
	 */
	@Test
	void shouldKeepAnAgentIdReservedAheadOfItsSidecarFromOtherWorkspaces() {
		recordOwner("agent:agent-wr", "wr", SERVICE).expectStatus().isOk();
		try (WsTestClient squatter = agent("ws2")) {
			squatter.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"agent-wr\",\"content\":\"squat\"}}");
			squatter.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-ws2\",\"content\":\"own\"}}");
			await().atMost(WAIT).until(() -> types("agent:ai-ws2").size() == 1);
		}
		assertThat(history("agent:agent-wr")).isEmpty();
		owner("agent:agent-wr").expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wr");
		recordOwner("agent:agent-wr", "ws2", SERVICE).expectStatus().isEqualTo(409);

		try (WsTestClient sidecar = WsTestClient.connect(node.agentUrl(TestTokens.agent("agent-wr", "wr")))) {
			sidecar.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"wr\"}}");
			sidecar.awaitType("registered");
			sidecar.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"agent-wr\",\"content\":\"mine\"}}");
			await().atMost(WAIT).until(() -> history("agent:agent-wr").size() == 1);
		}
		// an id a sidecar of another workspace serves under cannot be reserved either,
		// and only a service or an admin reserves: not a user
		try (WsTestClient other = agent("wt")) {
			recordOwner("agent:sidecar-wt", "wr", SERVICE).expectStatus().isEqualTo(409);
			assertThat(other.isClosed()).isFalse();
		}
		recordOwner("agent:agent-wu", "wu", TestTokens.user("u-wu", "wu")).expectStatus().isForbidden();
		// nor by an agent reserving ids ahead for its own workspace
		recordOwner("agent:agent-wu", "ws2", TestTokens.agent("sidecar-ws2", "ws2")).expectStatus().isForbidden();
		owner("agent:agent-wu").expectStatus().isNotFound();
	}

	@Test
	void shouldClaimNoMoreThanItsShareOfAgentIdsForAWorkspace() {
		int max = ChannelOwnerStore.MAX_PER_WORKSPACE;
		try (WsTestClient agent = agent("wq")) {
			// an agent inventing ids: each would be a row of its own, for good
			for (int i = 0; i < max + 5; i++) {
				agent.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-q-" + i + "\",\"content\":\"x\"}}");
			}
			agent.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"ai-q-0\",\"content\":\"again\"}}");
			await().atMost(Duration.ofSeconds(60)).until(() -> types("agent:ai-q-0").size() == 2);
			assertThat(agent.isClosed()).isFalse();
		}
		owner("agent:ai-q-" + (max - 1)).expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wq");
		for (int i = max; i < max + 5; i++) {
			owner("agent:ai-q-" + i).expectStatus().isNotFound();
			assertThat(history("agent:ai-q-" + i)).isEmpty();
		}
		// every event is still on the workspace's own channel
		assertThat(broker.position("workspace:wq").block(WAIT).offset()).isGreaterThanOrEqualTo(max + 6);
	}

	@Test
	void shouldKnowTheWorkspaceOfARepository() {
		recordOwner("repository:r1", "wa", SERVICE).expectStatus().isOk();
		owner("repository:r1").expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wa");
		recordOwner("repository:r1", "wa", SERVICE).expectStatus().isOk();
		recordOwner("repository:r1", "wb", SERVICE).expectStatus().isEqualTo(409);
		recordOwner("repository:r1", "wb", TestTokens.user("alice", "wb")).expectStatus().isForbidden();
		recordOwner("task:t1", "wa", SERVICE).expectStatus().isBadRequest();

		// a backend that published on the repository's channel naming its workspace
		owner("repository:r2").expectStatus().isNotFound();
		// asking left nothing behind: a client subscribing to made-up repository names
		// (the gateway asks for each) creates no engine state
		for (int i = 0; i < 20; i++) {
			owner("repository:made-up-" + i).expectStatus().isNotFound();
			assertThat(broker.existingHistory("repository:made-up-" + i, 0, 0).blockOptional(WAIT)).isEmpty();
		}
		assertThat(broker.existingHistory("repository:r2", 0, 0).blockOptional(WAIT)).isEmpty();
		broker
			.publish("repository:r2", "repository:state",
					HubJson.parse("{\"repositoryId\":\"r2\",\"workspaceId\":\"wb\",\"branches\":[\"main\"]}"))
			.block(WAIT);
		broker.publish("repository:r2", "repository:state", HubJson.parse("{\"repositoryId\":\"r2\",\"branches\":[]}"))
			.block(WAIT);
		owner("repository:r2").expectStatus().isOk().expectBody().jsonPath("$.workspaceId").isEqualTo("wb");
		owner("conversation:c1").expectStatus().isNotFound();

		recordOwner("conversation:c7", "wf", SERVICE).expectStatus().isOk();
		recordOwner("repository:r7", "wf", SERVICE).expectStatus().isOk();
		client().get()
			.uri("/api/workspaces/wf/channels")
			.header("Authorization", "Bearer " + SERVICE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.channels")
			.value((channels) -> assertThat(channels.toString()).contains("conversation:c7", "repository:r7"));
		client().get()
			.uri("/api/workspaces/wf/channels")
			.header("Authorization", "Bearer " + TestTokens.user("alice", "wf"))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

}
