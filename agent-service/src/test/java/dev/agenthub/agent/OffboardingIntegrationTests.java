package dev.agenthub.agent;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent reporting lifecycle {@code off} has integration-service offboard its
 * workspace.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OffboardingIntegrationTests {

	static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

	static final AtomicInteger AT_ONCE = new AtomicInteger();

	static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

	/** Stands in for integration-service: records what it is asked. */
	static final DisposableServer INTEGRATION = HttpServer.create()
		.port(0)
		.route((routes) -> routes.post("/api/tailscale/workspaces/{id}/offboard", (request, response) -> {
			REQUESTS.add(request.param("id") + " " + request.requestHeaders().get("Authorization"));
			if (!"off-flood".equals(request.param("id"))) {
				return response.status(200).sendString(reactor.core.publisher.Mono.just("{\"deleted\":[]}"));
			}
			// a slow integration-service: how many of one workspace's calls run at once?
			MOST_AT_ONCE.accumulateAndGet(AT_ONCE.incrementAndGet(), Math::max);
			return response.status(200)
				.sendString(reactor.core.publisher.Mono.delay(Duration.ofMillis(300))
					.map((tick) -> "{\"deleted\":[]}")
					.doFinally((signal) -> AT_ONCE.decrementAndGet()));
		}))
		.bindNow();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		String dataDir = Files.createTempDirectory("offboarding").toString();
		registry.add("hub.database.data-dir", () -> dataDir);
		registry.add("hub.agent.integration-url", () -> "http://localhost:" + INTEGRATION.port());
	}

	@AfterAll
	static void stop() {
		INTEGRATION.disposeNow();
	}

	@LocalServerPort
	int port;

	@Test
	void shouldOffboardTheWorkspaceWhenItsAgentGoesOff() {
		try (WsTestClient agent = WsTestClient
			.connect("ws://localhost:" + this.port + "/agent/ws?token=" + TestTokens.agent("agent-off", "off1"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"off1\",\"version\":\"1.0.0\"}}");
			agent.awaitType("registered");
			agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"ready\"}}");
			agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"off\"}}");
			await().atMost(Duration.ofSeconds(10)).until(() -> !REQUESTS.isEmpty());
		}
		assertThat(REQUESTS.stream().filter((r) -> r.startsWith("off1 "))).hasSize(1);
		assertThat(REQUESTS.get(0)).startsWith("off1 Bearer ey");
	}

	@Test
	void shouldOffboardAWorkspaceOnceAtATimeHoweverOftenItsAgentFlips() {
		try (WsTestClient agent = WsTestClient.connect(
				"ws://localhost:" + this.port + "/agent/ws?token=" + TestTokens.agent("agent-flood", "off-flood"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"off-flood\",\"version\":\"1.0.0\"}}");
			agent.awaitType("registered");
			for (int i = 0; i < 200; i++) {
				agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"off\"}}");
				agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"ready\"}}");
			}
			// messages are handled in order: the answer to a bad one comes after the
			// flips
			agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"sideways\"}}");
			agent.awaitType("error");
			await().atMost(Duration.ofSeconds(10)).until(() -> AT_ONCE.get() == 0);
			assertThat(agent.isClosed()).isFalse();
		}
		assertThat(MOST_AT_ONCE).hasValue(1);
		// 200 offs within a few 300 ms calls: far fewer calls than offs
		assertThat(REQUESTS.stream().filter((r) -> r.startsWith("off-flood "))).hasSizeLessThan(50);
	}

}
