package dev.agenthub.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.sidecar.SidecarMain;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack of issue 11 item 3: a member of a workspace runs {@code printenv} through
 * the hub to read the agent's token. A real sidecar runs as its own process (its token
 * and settings in its environment, as in production) against a real agent-service;
 * neither a command nor a tab sees the token or any of the sidecar's settings.
 */
class SidecarEnvironmentIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final String WORKSPACE = "envleak";

	static final String AGENT_TOKEN = TestTokens.agent("sidecar-envleak", WORKSPACE);

	@TempDir
	static Path repo;

	static AgentNode node;

	static Process sidecar;

	static final List<Publication> workspaceEvents = new CopyOnWriteArrayList<>();

	static Disposable watching;

	@BeforeAll
	static void start() throws Exception {
		node = AgentNode.start(AgentNode.clusterProperties());
		watching = node.bean(Broker.class).subscribe("workspace:" + WORKSPACE, workspaceEvents::add).block(WAIT);
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				SidecarMain.class.getName());
		Map<String, String> env = builder.environment();
		env.put("HUB_AGENT_URL", "ws://localhost:" + node.port() + "/agent/ws");
		env.put("HUB_AGENT_TOKEN", AGENT_TOKEN);
		env.put("HUB_AGENT_WORKSPACE_ID", WORKSPACE);
		env.put("HUB_AGENT_REPO_DIR", repo.toString());
		env.put("HUB_AGENT_TABS", "[{\"tabId\":\"env\",\"command\":\"printenv\"}]");
		env.put("LC_TIME", "C");
		env.put("DEPLOY_SECRET", "deploy-secret-value");
		File log = Files.createTempFile("sidecar-envleak", ".log").toFile();
		sidecar = builder.redirectErrorStream(true).redirectOutput(log).start();
		await().atMost(WAIT)
			.until(() -> "connected"
				.equals(Http.get(node.url() + "/api/workspaces/" + WORKSPACE + "/agent", TestTokens.admin("a"))
					.body()
					.path("status")
					.asString()));
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (sidecar != null) {
			sidecar.destroy();
			if (!sidecar.waitFor(20, TimeUnit.SECONDS)) {
				sidecar.destroyForcibly();
			}
		}
		if (watching != null) {
			watching.dispose();
		}
		node.close();
	}

	@Test
	void shouldNotShowTheAgentTokenToAMemberRunningPrintenvThroughTheHub() {
		String member = TestTokens.user("mallory", WORKSPACE);
		Http accepted = Http.post(node.url() + "/api/workspaces/" + WORKSPACE + "/commands", member,
				"{\"command\":\"printenv\",\"env\":{\"MINE\":\"requested\"}}");
		assertThat(accepted.status()).isEqualTo(202);
		String taskId = accepted.body().get("taskId").asString();
		await().atMost(WAIT)
			.until(() -> "completed"
				.equals(Http.get(node.url() + "/api/tasks/" + taskId, member).body().path("status").asString()));
		String output = Http.get(node.url() + "/api/tasks/" + taskId, member).body().path("output").asString();
		assertThat(output).as("the child still gets the allow-list and its own variables")
			.contains("PATH=", "LC_TIME=C", "MINE=requested");
		assertThat(output).doesNotContain(AGENT_TOKEN, "HUB_AGENT", "deploy-secret-value");
	}

	@Test
	void shouldNotShowTheAgentTokenInATabsOutput() {
		await().atMost(WAIT).until(() -> tabOutput().contains("PATH="));
		await().atMost(WAIT)
			.until(() -> workspaceEvents.stream().anyMatch((p) -> p.event().type().equals("tab:stopped")));
		assertThat(tabOutput()).doesNotContain(AGENT_TOKEN, "HUB_AGENT", "deploy-secret-value");
	}

	private static String tabOutput() {
		StringBuilder text = new StringBuilder();
		for (Publication publication : workspaceEvents) {
			JsonNode data = publication.event().data();
			if (publication.event().type().equals("tab:output") && data.path("tabId").asString().equals("env")) {
				text.append(data.path("data").asString());
			}
		}
		return text.toString();
	}

}
