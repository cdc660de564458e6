package dev.agenthub.systemtests;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.NodeModules;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS on every service, as a web app on another origin meets it (seed 000): preflights
 * answered without a token, {@code Access-Control-Allow-Origin} on API answers (errors
 * included) and on the Socket.IO long-polling transport of both ingresses; and headless
 * Chromium loading a page of another origin that connects with {@code socket.io-client}
 * over long-polling and calls every service with {@code fetch}.
 */
class CrossOriginIntegrationTests {

	static final String ORIGIN = "http://app.example.test";

	static final File NODE_DIR = new File("src/test/node");

	static HubCluster hub;

	static ConfigurableApplicationContext gateway;

	static ConfigurableApplicationContext integration;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() {
		hub = new HubCluster().start();
		gateway = hub.startGateway();
		integration = hub.startIntegration();
	}

	@AfterAll
	static void stop() {
		hub.close();
	}

	static Map<String, String> services() {
		Map<String, String> urls = new LinkedHashMap<>();
		urls.put("gateway", "http://127.0.0.1:" + HubCluster.port(gateway));
		urls.put("agent", "http://127.0.0.1:" + hub.agentPort());
		urls.put("broadcast", "http://127.0.0.1:" + hub.broadcastPort());
		urls.put("integration", "http://127.0.0.1:" + HubCluster.port(integration));
		return urls;
	}

	static final Map<String, String> API = Map.of("gateway", "/api/stats", "agent", "/api/agents", "broadcast",
			"/api/sync?since=2026-01-01T00:00:00Z&channels=workspace:w1", "integration", "/api/tailscale/status");

	@Test
	void shouldAnswerPreflightsOnEveryServiceWithoutAToken() throws Exception {
		for (Map.Entry<String, String> service : services().entrySet()) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(service.getValue() + "/api/publish"))
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.header("Origin", ORIGIN)
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "authorization,content-type"));
			assertThat(response.statusCode()).as(service.getKey()).isEqualTo(200);
			assertThat(header(response, "Access-Control-Allow-Origin")).as(service.getKey()).isEqualTo("*");
			assertThat(header(response, "Access-Control-Allow-Methods")).as(service.getKey()).contains("POST");
			assertThat(header(response, "Access-Control-Allow-Headers").toLowerCase()).as(service.getKey())
				.contains("authorization")
				.contains("content-type");
			assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).as(service.getKey())
				.isEmpty();
		}
	}

	@Test
	void shouldAllowTheOriginOnApiAnswersAndOnRefusals() throws Exception {
		for (Map.Entry<String, String> service : services().entrySet()) {
			String url = service.getValue() + API.get(service.getKey());
			HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(url)).header("Origin", ORIGIN));
			assertThat(refused.statusCode()).as(service.getKey()).isEqualTo(401);
			assertThat(header(refused, "Access-Control-Allow-Origin")).as(service.getKey()).isEqualTo("*");
			HttpResponse<String> answered = send(HttpRequest.newBuilder(URI.create(url))
				.header("Origin", ORIGIN)
				.header("Authorization", "Bearer " + TestTokens.admin("root")));
			assertThat(answered.statusCode()).as(service.getKey() + " " + answered.body()).isEqualTo(200);
			assertThat(header(answered, "Access-Control-Allow-Origin")).as(service.getKey()).isEqualTo("*");
		}
	}

	@Test
	void shouldAllowTheOriginOnTheSocketIoPollingTransportOfBothIngresses() throws Exception {
		for (String service : List.of("gateway", "agent")) {
			String base = services().get(service) + "/socket.io/?EIO=4&transport=polling";
			HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(base + "&t=1"))
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.header("Origin", ORIGIN)
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "content-type"));
			assertThat(preflight.statusCode()).as(service).isEqualTo(200);
			assertThat(header(preflight, "Access-Control-Allow-Origin")).as(service).isEqualTo("*");
			HttpResponse<String> handshake = send(
					HttpRequest.newBuilder(URI.create(base + "&t=2")).header("Origin", ORIGIN));
			assertThat(handshake.statusCode()).as(service).isEqualTo(200);
			assertThat(handshake.body()).as(service).startsWith("0{\"sid\":");
			assertThat(header(handshake, "Access-Control-Allow-Origin")).as(service).isEqualTo("*");
			String sid = HubJson.parse(handshake.body().substring(1)).get("sid").asString();
			HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
				.header("Origin", ORIGIN)
				.header("Content-Type", "text/plain;charset=UTF-8")
				.POST(HttpRequest.BodyPublishers.ofString("1")));
			assertThat(post.statusCode()).as(service).isEqualTo(200);
			assertThat(header(post, "Access-Control-Allow-Origin")).as(service).isEqualTo("*");
			HttpResponse<String> unknown = send(
					HttpRequest.newBuilder(URI.create(base + "&sid=nosuchsession")).header("Origin", ORIGIN));
			assertThat(unknown.statusCode()).as(service).isEqualTo(400);
			assertThat(header(unknown, "Access-Control-Allow-Origin")).as(service).isEqualTo("*");
		}
	}

	@Test
	void shouldLetAPageOfAnotherOriginUseSocketIoPollingAndTheApisInChromium() throws Exception {
		installNodeModules();
		Map<String, String> urls = services();
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("chromium", chromium());
		options.put("gatewayUrl", urls.get("gateway"));
		options.put("agentUrl", urls.get("agent"));
		options.put("broadcastUrl", urls.get("broadcast"));
		options.put("integrationUrl", urls.get("integration"));
		options.put("userToken", TestTokens.user("alice", "w1"));
		options.put("serviceToken", TestTokens.service("web-backend"));
		options.put("channel", "workspace:w1");
		Process node = new ProcessBuilder("node", "cross-origin.mjs", HubJson.write(options)).directory(NODE_DIR)
			.redirectErrorStream(true)
			.start();
		node.getOutputStream().close();
		assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("node finished").isTrue();
		String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		// what the page saw, for the build log
		System.out.println(output);
		assertThat(node.exitValue()).as(output).isZero();
		assertThat(output).contains("PASS").contains("\"transport\":\"polling\"");
	}

	static String chromium() {
		for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IllegalStateException("Chromium is needed for this test: apt-get install -y chromium");
	}

	static void installNodeModules() throws Exception {
		NodeModules.install(NODE_DIR, "puppeteer-core", "socket.io-client");
	}

	HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	static String header(HttpResponse<?> response, String name) {
		return response.headers().firstValue(name).orElse("<none>");
	}

}
