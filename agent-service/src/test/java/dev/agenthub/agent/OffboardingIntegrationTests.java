package dev.agenthub.agent;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

	/** Stands in for integration-service: records what it is asked. */
	static final DisposableServer INTEGRATION = HttpServer.create()
		.port(0)
		.route((routes) -> routes.post("/api/tailscale/workspaces/{id}/offboard", (request, response) -> {
			REQUESTS.add(request.param("id") + " " + request.requestHeaders().get("Authorization"));
			return response.status(200).sendString(reactor.core.publisher.Mono.just("{\"deleted\":[]}"));
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
		assertThat(REQUESTS).hasSize(1);
		assertThat(REQUESTS.get(0)).startsWith("off1 Bearer ey");
	}

}
