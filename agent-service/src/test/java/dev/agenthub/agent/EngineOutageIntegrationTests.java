package dev.agenthub.agent;

import java.time.Duration;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import dev.agenthub.agent.session.AgentSessions;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.testsupport.CapturedLog;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.PrivateRedis;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis dies and comes back (a crash and a restart without persistence) while an agent
 * streams its terminal: what the agent sent meanwhile waits and is published, in order,
 * once Redis is back — nothing lost, the agent never told it failed, never disconnected.
 * Before, each chunk of those seconds was answered with {@code error} {@code unavailable}
 * and dropped.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class EngineOutageIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	static final PrivateRedis redis = PrivateRedis.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.redis.url", redis::url);
		HubTestProperties.postgres(PostgresFixture.newDatabase())
			.forEach((key, value) -> registry.add(key, () -> value));
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Test
	void whatAnAgentSendsWhileRedisIsGoneIsPublishedInOrderOnceItIsBack() throws InterruptedException {
		try (WsTestClient agent = WsTestClient
			.connect("ws://localhost:" + this.port + "/agent/ws?token=" + TestTokens.agent("outage-agent", "out-w"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"out-w\"}}");
			agent.awaitType("registered");
			output(agent, "before;");
			await().atMost(WAIT).until(() -> text().contains("before;"));

			redis.kill();
			// once the hub has seen it go (a publish in flight at that moment may have
			// been applied or not: it is reported to the agent, not tried again)
			await().atMost(WAIT).until(this::engineDown);
			StringBuilder during = new StringBuilder();
			for (int i = 0; i < 20; i++) {
				String chunk = "during-" + i + ";";
				during.append(chunk);
				output(agent, chunk);
				Thread.sleep(50);
			}
			redis.restart();
			output(agent, "after;");

			// a restarted Redis without persistence starts the channel afresh: its new
			// history holds what waited, then what followed, in order
			await().atMost(Duration.ofSeconds(40)).until(() -> text().contains("after;"));
			assertThat(text()).isEqualTo(during + "after;");
			assertThat(agent.received()).noneMatch((message) -> "error".equals(message.path("type").asString()));
			assertThat(agent.isClosed()).isFalse();
		}
	}

	/**
	 * Agents that register while Redis is gone (a node's agents reconnecting during an
	 * outage) are each told why in words and closed 1011, so that they retry; the log
	 * says it once, not once per agent.
	 */
	@Test
	void agentsRegisteringWhileRedisIsGoneAreToldWhyAndLoggedOnce() {
		redis.kill();
		try {
			await().atMost(WAIT).until(this::engineDown);
			try (CapturedLog log = CapturedLog.of(AgentSessions.class)) {
				for (int i = 0; i < 20; i++) {
					try (WsTestClient agent = WsTestClient.connect("ws://localhost:" + this.port + "/agent/ws?token="
							+ TestTokens.agent("outage-crowd-" + i, "out-c" + i))) {
						agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"out-c" + i + "\"}}");
						JsonNode error = agent.awaitType("error").path("data");
						assertThat(error.path("code").asString()).isEqualTo("unavailable");
						assertThat(error.path("error").asString())
							.isEqualTo("registration failed, try again: the event bus is unavailable");
						assertThat(agent.awaitClose(WAIT)).isEqualTo(1011);
					}
				}
				assertThat(log.events()).filteredOn((event) -> event.getLevel() == Level.WARN)
					.singleElement()
					.satisfies((event) -> assertThat(event.getFormattedMessage())
						.startsWith("Registration for workspace"));
			}
		}
		finally {
			redis.restart();
		}
		await().atMost(Duration.ofSeconds(40)).until(() -> !engineDown());
	}

	private static void output(WsTestClient agent, String text) {
		agent.send("{\"type\":\"tab:output\",\"data\":{\"tabId\":\"t1\",\"data\":\"" + text + "\"}}");
	}

	private boolean engineDown() {
		try {
			this.broker.position("workspace:out-w").block(WAIT);
			return false;
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	/** The workspace channel's history in Redis now, its output joined. */
	private String text() {
		try {
			History history = this.broker.history("workspace:out-w", 0, 1000).block(WAIT);
			return history.events()
				.stream()
				.filter((p) -> "tab:output".equals(p.event().type()))
				.map((p) -> p.event().data().path("data").asString())
				.collect(Collectors.joining());
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

}
