package dev.agenthub.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agent ids are not capabilities: an agent of one workspace cannot take the id, and so
 * the {@code agent:} channel, of another workspace's agent.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AgentIdentityIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("hub.engine", () -> "redis");
		registry.add("hub.redis.url", RedisFixture::url);
		registry.add("hub.broker.key-prefix", RedisFixture::uniquePrefix);
		registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
		PostgresFixture.Database db = PostgresFixture.newDatabase();
		registry.add("hub.postgres.url", () -> db.r2dbcUrl().substring("r2dbc:".length()));
		registry.add("hub.postgres.user", db::username);
	}

	@LocalServerPort
	int port;

	@Autowired
	AgentStore agents;

	@Autowired
	Broker broker;

	WsTestClient agent(String token) {
		return WsTestClient.connect("ws://localhost:" + this.port + "/agent/ws?token=" + token);
	}

	String ownerOf(String channel) {
		JsonNode owner = WebClient.create("http://localhost:" + this.port)
			.get()
			.uri("/api/channels/{channel}/owner", channel)
			.header("Authorization", "Bearer " + TestTokens.service("gateway"))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(WAIT);
		return owner.path("workspaceId").asString(null);
	}

	@Test
	void shouldRefuseAnAgentClaimingAnotherAgentsIdWith4003() {
		try (WsTestClient owner = agent(TestTokens.agent("id-owner", "id-a"))) {
			owner.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-a\"}}");
			owner.awaitType("registered");
			try (WsTestClient intruder = agent(TestTokens.agent("id-intruder", "id-m"))) {
				intruder.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-m\",\"agentId\":\"id-owner\"}}");
				JsonNode error = intruder.awaitType("error");
				assertThat(error.path("data").path("code").asString()).isEqualTo("forbidden");
				assertThat(intruder.awaitClose(WAIT)).isEqualTo(4003);
			}
			assertThat(owner.isClosed()).isFalse();
		}
		assertThat(ownerOf("agent:id-owner")).isEqualTo("id-a");
	}

	@Test
	void shouldNeverMoveAnAgentIdToAnotherWorkspace() {
		try (WsTestClient first = agent(TestTokens.agent("id-moving", "id-b"))) {
			first.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-b\"}}");
			first.awaitType("registered");
		}
		// The same subject in a token for another workspace (a leaked or reissued name).
		try (WsTestClient second = agent(TestTokens.agent("id-moving", "id-n"))) {
			second.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-n\"}}");
			assertThat(second.awaitType("error").path("data").path("code").asString()).isEqualTo("forbidden");
			assertThat(second.awaitClose(WAIT)).isEqualTo(4003);
		}
		assertThat(ownerOf("agent:id-moving")).isEqualTo("id-b");
	}

	/**
	 * An agent of workspace S names, on an AI agent's event, the id of another
	 * workspace's sidecar that has not registered yet: the channel is S's from then on.
	 * Before, the owner turned to the sidecar's workspace once it registered, while S's
	 * subscribers still listened. The sidecar still registers (it is not locked out of
	 * its own workspace); its own id on an AI agent's event stays on its workspace
	 * channel.
	 */
	@Test
	void shouldKeepAnAgentChannelWithTheWorkspaceThatClaimedItBeforeItsSidecarRegistered() {
		List<Publication> onChannel = new CopyOnWriteArrayList<>();
		Disposable watching = this.broker.subscribe("agent:id-late", onChannel::add).block(WAIT);
		try {
			try (WsTestClient squatter = agent(TestTokens.agent("id-squatter", "id-s"))) {
				squatter.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-s\"}}");
				squatter.awaitType("registered");
				squatter.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"id-late\",\"content\":\"squat\"}}");
				await().atMost(WAIT).ignoreExceptions().until(() -> "id-s".equals(ownerOf("agent:id-late")));
			}
			List<Publication> onWorkspace = new CopyOnWriteArrayList<>();
			Disposable own = this.broker.subscribe("workspace:id-l", onWorkspace::add).block(WAIT);
			try (WsTestClient late = agent(TestTokens.agent("id-late", "id-l"))) {
				late.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-l\"}}");
				late.awaitType("registered");
				late.send("{\"type\":\"agent:output\",\"data\":{\"agentId\":\"id-late\",\"content\":\"mine\"}}");
				await().atMost(WAIT)
					.until(() -> onWorkspace.stream().anyMatch((p) -> p.event().data().toString().contains("mine")));
			}
			finally {
				own.dispose();
			}
			assertThat(ownerOf("agent:id-late")).as("the channel did not change hands").isEqualTo("id-s");
			assertThat(onChannel).noneMatch((p) -> p.event().data().toString().contains("mine"));
		}
		finally {
			watching.dispose();
		}
	}

	@Test
	void shouldRefuseAVersionLongerThanTheAgentRecordHolds() {
		try (WsTestClient agent = agent(TestTokens.agent("id-versioned", "id-v"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-v\",\"version\":\"1." + "0".repeat(100)
					+ "\"}}");
			JsonNode error = agent.awaitType("error");
			assertThat(error.path("data").path("code").asString()).isEqualTo("bad_request");
			assertThat(error.path("data").path("error").asString()).contains("version");
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"id-v\",\"version\":\"1.0.0\"}}");
			agent.awaitType("registered");
			await().atMost(WAIT).until(() -> {
				AgentRecord record = this.agents.find("id-v").block(WAIT);
				return record != null && "1.0.0".equals(record.version());
			});
		}
	}

}
