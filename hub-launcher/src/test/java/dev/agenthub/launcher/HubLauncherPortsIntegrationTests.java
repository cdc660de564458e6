package dev.agenthub.launcher;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The services of one hub find each other on the ports it runs them on, not on the
 * services' default ports. Before, the gateway's operator view asked integration-service
 * on 8083 whatever {@code HUB_INTEGRATION_PORT} said, so its Tailscale and CDP shim parts
 * showed "Connection refused".
 */
class HubLauncherPortsIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void shouldShowTheOperatorViewIntegrationServiceOnTheHubsOwnPort() throws Exception {
		Map<HubService, Integer> ports = new EnumMap<>(HubService.class);
		for (HubService service : HubService.values()) {
			ports.put(service, freePort());
		}
		RunningHub hub = HubLauncher.start(
				new String[] { "--hub.database.data-dir=" + this.dataDir, "--hub.gateway.warm-up.connections=0" },
				List.of(HubService.values()), ports);
		try {
			String admin = HubLauncher.devTokens(hub.parent().getEnvironment()).get("admin");
			HttpClient http = HttpClient.newHttpClient();
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + ports.get(HubService.GATEWAY) + "/api/operator/overview"))
				.header("Authorization", "Bearer " + admin)
				.timeout(Duration.ofSeconds(20))
				.build();
			// the bundled CDP shim is published as the first release soon after start
			JsonNode shim = await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> HubJson.mapper()
					.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
					.path("shim"), (part) -> part.has("error") || !part.path("value").path("releases").isEmpty());
			assertThat(shim.path("error").asString(null)).isNull();
			assertThat(shim.path("value").path("releases").size()).isPositive();
		}
		finally {
			hub.close();
		}
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
