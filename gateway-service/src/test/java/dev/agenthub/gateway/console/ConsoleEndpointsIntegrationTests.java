package dev.agenthub.gateway.console;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages and endpoints on a real gateway (Redis engine): {@code /} leads to
 * the console, deep links serve the page with the Content-Security-Policy, the built
 * assets are served, and the console's APIs answer only whom they should. The other
 * services are not running here, so the operator overview reports them as unreachable.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.gateway.agent-service-url=http://127.0.0.1:9", "hub.gateway.history-url=http://127.0.0.1:9",
				"hub.console.integration-url=http://127.0.0.1:9", "hub.console.timeout=2s",
				// agent-service's bound, which the console's upload proxy follows unless
				// told otherwise
				"hub.upload.max-size=3MB" })
class ConsoleEndpointsIntegrationTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	WebTestClient http;

	@BeforeEach
	void client() {
		this.http = TestHttp.client(this.port, Duration.ofSeconds(20));
	}

	@Test
	void shouldLeadFromTheRootToTheConsole() {
		this.http.get().uri("/").exchange().expectStatus().isTemporaryRedirect().expectHeader().location("/console/");
		this.http.get().uri("/console").exchange().expectStatus().isTemporaryRedirect();
	}

	@Test
	void shouldServeDeepLinksAndAssetsUnderAPolicyWithoutInlineScripts() {
		for (String path : new String[] { "/console/", "/console/workspaces/w1", "/console/operator" }) {
			String page = this.http.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.TEXT_HTML)
				.expectHeader()
				.valueEquals("Content-Security-Policy", ConsoleHeaders.POLICY)
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(page).as(path).doesNotContain("<script>").contains("type=\"module\"");
		}
		assertThat(ConsoleHeaders.POLICY).contains("script-src 'self';").doesNotContain("unsafe-eval");
		String index = this.http.get()
			.uri("/console/")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		Matcher script = Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"").matcher(index);
		assertThat(script.find()).as("the page names its script").isTrue();
		this.http.get()
			.uri(script.group(1))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/javascript");
		this.http.get().uri("/console/assets/nothing-here.js").exchange().expectStatus().isNotFound();
		this.http.get().uri("/console/workspaces/w1/more").exchange().expectStatus().isNotFound();
	}

	@Test
	void shouldOpenOnlyTheWorkspacesATokenMaySee() {
		String alice = TestTokens.user("alice", "w1");
		this.http.get()
			.uri("/api/console/workspaces/w1")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.channel")
			.isEqualTo("workspace:w1")
			.jsonPath("$.epoch")
			.isNotEmpty()
			.jsonPath("$.offset")
			.isNumber()
			.jsonPath("$.agent")
			.doesNotExist()
			.jsonPath("$.mayExec")
			.isEqualTo(true)
			.jsonPath("$.uploadMaxSize")
			.isEqualTo(3 * 1024 * 1024);
		// A watcher: may open the workspace, is told it may not drive it.
		String watcher = TestTokens.user("wendy", List.of("w1", "w2"), List.of("w2"));
		this.http.get()
			.uri("/api/console/workspaces/w1")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + watcher)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.mayExec")
			.isEqualTo(false);
		this.http.get()
			.uri("/api/console/workspaces/w2")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		this.http.get().uri("/api/console/workspaces/w1").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void shouldGiveTheOperatorOverviewToAdminsOnly() {
		this.http.get()
			.uri("/api/operator/overview")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user("alice", "w1"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.get().uri("/api/operator/overview").exchange().expectStatus().isUnauthorized();
		this.http.get()
			.uri("/api/operator/overview")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.admin("root"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.gateway.node")
			.isNotEmpty()
			.jsonPath("$.agents.error")
			.isNotEmpty()
			.jsonPath("$.tailscale.error")
			.isNotEmpty()
			.jsonPath("$.shim.error")
			.isNotEmpty()
			.jsonPath("$.closes")
			.isArray();
	}

}
