package dev.agenthub.launcher;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole hub in one JVM shuts down as each service does alone: the gateway's browsers
 * and agent-service's agents are drained with 1001 (going away, reconnect elsewhere).
 * Before, the first service to close disposed the event loops the services share, and
 * every client still connected saw its socket drop (1006) instead.
 */
class HubLauncherShutdownIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void shouldDrainBrowsersAndAgentsWith1001WhenTheHubCloses() throws Exception {
		Map<HubService, Integer> ports = new EnumMap<>(HubService.class);
		for (HubService service : HubService.values()) {
			ports.put(service, freePort());
		}
		RunningHub hub = HubLauncher.start(
				new String[] { "--hub.database.data-dir=" + this.dataDir, "--hub.gateway.warm-up.connections=0" },
				List.of(HubService.values()), ports);
		CloseWatch browser;
		CloseWatch agent;
		try {
			Map<String, String> tokens = HubLauncher.devTokens(hub.parent().getEnvironment());
			assertThat(tokens).containsKeys("user", "agent");
			HttpClient http = HttpClient.newHttpClient();
			browser = CloseWatch.open(http.newWebSocketBuilder(),
					"ws://127.0.0.1:" + ports.get(HubService.GATEWAY) + "/ws?token=" + tokens.get("user"));
			agent = CloseWatch.open(http.newWebSocketBuilder().header("Authorization", "Bearer " + tokens.get("agent")),
					"ws://127.0.0.1:" + ports.get(HubService.AGENT) + "/agent/ws");
			// both are in: the gateway sends auth, the agent registers and is answered
			assertThat(browser.firstText.get(20, TimeUnit.SECONDS)).contains("\"auth\"");
			agent.socket.sendText("{\"type\":\"register\",\"data\":{\"workspaceId\":\"w1\"}}", true);
			assertThat(agent.firstText.get(20, TimeUnit.SECONDS)).isNotBlank();
		}
		finally {
			hub.close();
		}
		assertThat(browser.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1001);
		assertThat(agent.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1001);
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** A client WebSocket that remembers its first text frame and its close code. */
	private static final class CloseWatch implements WebSocket.Listener {

		final CompletableFuture<String> firstText = new CompletableFuture<>();

		final CompletableFuture<Integer> closed = new CompletableFuture<>();

		WebSocket socket;

		static CloseWatch open(WebSocket.Builder builder, String uri) throws Exception {
			CloseWatch watch = new CloseWatch();
			watch.socket = builder.connectTimeout(Duration.ofSeconds(10))
				.buildAsync(URI.create(uri), watch)
				.get(20, TimeUnit.SECONDS);
			return watch;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.firstText.complete(data.toString());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			// a socket dropped without a close frame: 1006, as a browser reports it
			this.closed.complete(1006);
		}

	}

}
