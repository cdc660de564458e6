package dev.agenthub.systemtests;

import java.time.Duration;
import java.util.List;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The foundation's walking skeleton through real Redis and PostgreSQL: an agent on
 * agent-service, browsers on two gateway instances, the durable log in broadcast-service.
 */
class WalkingSkeletonIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	static HubCluster hub;

	static ConfigurableApplicationContext gatewayA;

	static ConfigurableApplicationContext gatewayB;

	@BeforeAll
	static void start() {
		// A tiny engine history window, so that recovery also has to read the log.
		hub = new HubCluster("--hub.broker.history-size=5").start();
		gatewayA = hub.startGateway();
		gatewayB = hub.startGateway();
	}

	@AfterAll
	static void stop() {
		hub.close();
	}

	static WsTestClient browser(ConfigurableApplicationContext gateway, String user, String... workspaces) {
		return WsTestClient.authenticated("ws://localhost:" + HubCluster.port(gateway) + "/ws?subscribe=none&token="
				+ TestTokens.user(user, workspaces));
	}

	static WsTestClient agent(String workspace) {
		WsTestClient agent = WsTestClient.connect("ws://localhost:" + hub.agentPort() + "/agent/ws",
				java.util.Map.of("Authorization", "Bearer " + TestTokens.agent("agent-" + workspace, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		assertThat(agent.awaitType("registered").get("data").get("sessionId").asString()).isNotBlank();
		return agent;
	}

	static JsonNode subscribe(WsTestClient browser, String channel) {
		browser.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
		return browser.awaitType("subscribed");
	}

	@Test
	void shouldCarryAgentOutputToBrowsersOnTwoGatewaysOnceAndIntoTheLog() {
		try (WsTestClient onA = browser(gatewayA, "alice", "w1");
				WsTestClient onB = browser(gatewayB, "bob", "w1");
				WsTestClient outsider = browser(gatewayA, "mallory", "w2")) {
			subscribe(onA, "workspace:w1");
			subscribe(onB, "workspace:w1");
			outsider.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:w1\"}}");
			assertThat(outsider.awaitType("error").get("data").get("code").asString()).isEqualTo("forbidden");
			try (WsTestClient agent = agent("w1")) {
				agent.send("{\"type\":\"tab:output\",\"data\":{\"tabId\":\"t1\",\"data\":\"hello\\n\"}}");
				JsonNode onAEvent = onA.awaitType("tab:output");
				JsonNode onBEvent = onB.awaitType("tab:output");
				for (JsonNode event : List.of(onAEvent, onBEvent)) {
					assertThat(event.get("channel").asString()).isEqualTo("workspace:w1");
					assertThat(event.get("data").get("tabId").asString()).isEqualTo("t1");
					assertThat(event.get("data").get("data").asString()).isEqualTo("hello\n");
					assertThat(event.get("epoch").asString()).isNotBlank();
					assertThat(event.get("timestamp").asString()).endsWith("Z");
				}
				assertThat(onBEvent.get("offset").asLong()).isEqualTo(onAEvent.get("offset").asLong());
				assertThat(onA.silentFor(Duration.ofMillis(500))).as("delivered once on A").isTrue();
				assertThat(
						onB.received().stream().filter((m) -> m.path("type").asString().equals("tab:output")).count())
					.as("delivered once on B")
					.isEqualTo(1);
				assertThat(
						outsider.received().stream().noneMatch((m) -> m.path("type").asString().equals("tab:output")))
					.isTrue();
				String epoch = onAEvent.get("epoch").asString();
				long offset = onAEvent.get("offset").asLong();
				await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
					JsonNode page = history("workspace:w1", epoch, offset - 1);
					assertThat(page.get("events")).isNotEmpty();
					assertThat(page.get("events").get(0).get("type").asString()).isEqualTo("tab:output");
					assertThat(page.get("events").get(0).get("data").get("data").asString()).isEqualTo("hello\n");
				});
			}
		}
	}

	@Test
	void shouldRecoverOnAnotherGatewayBeyondTheEngineWindowWithoutGapOrDuplicate() {
		String channel = "workspace:w3";
		String epoch;
		long offset;
		try (WsTestClient first = browser(gatewayA, "carol", "w3"); WsTestClient agent = agent("w3")) {
			subscribe(first, channel);
			agent.send("{\"type\":\"startup:progress\",\"data\":{\"step\":\"start\",\"percent\":0}}");
			JsonNode seen = first.awaitType("startup:progress");
			epoch = seen.get("epoch").asString();
			offset = seen.get("offset").asLong();
			first.close();
			for (int i = 1; i <= 30; i++) {
				agent.send("{\"type\":\"startup:progress\",\"data\":{\"step\":\"s" + i + "\",\"percent\":" + i + "}}");
			}
			// the log holds the last one (a workspace:state of the agent may be among
			// them)
			await().atMost(WAIT).until(() -> {
				for (JsonNode event : history(channel, epoch, offset).get("events")) {
					if (event.path("data").path("percent").asInt(-1) == 30) {
						return true;
					}
				}
				return false;
			});
		}
		try (WsTestClient second = browser(gatewayB, "carol", "w3")) {
			second.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":{\"epoch\":\""
					+ epoch + "\",\"offset\":" + offset + "}}}");
			JsonNode subscribed = second.awaitType("subscribed");
			assertThat(subscribed.get("data").get("recovered").asBoolean()).isTrue();
			long expected = offset + 1;
			int progress = 1;
			while (progress <= 30) {
				JsonNode event = second.await((m) -> m.path("channel").asString().equals(channel));
				if (event.get("type").asString().equals("workspace:state")) {
					assertThat(event.get("offset").asLong()).isEqualTo(expected++);
					continue;
				}
				assertThat(event.get("offset").asLong()).isEqualTo(expected++);
				assertThat(event.get("data").get("percent").asInt()).isEqualTo(progress++);
			}
		}
	}

	static JsonNode history(String channel, String epoch, long since) {
		return WebClient.create("http://localhost:" + hub.broadcastPort())
			.get()
			.uri("/api/channels/{c}/events?epoch={e}&since={s}", channel, epoch, since)
			.header("Authorization", "Bearer " + TestTokens.service("system-test"))
			.retrieve()
			.bodyToMono(String.class)
			.map(HubJson::parse)
			.block(WAIT);
	}

}
