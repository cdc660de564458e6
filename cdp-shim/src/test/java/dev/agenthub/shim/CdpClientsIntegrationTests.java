package dev.agenthub.shim;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients nobody here wrote drive a real headless Chromium through the shim, launching
 * the shim exactly as they would launch Chrome: Puppeteer over the DevTools WebSocket and
 * over {@code --remote-debugging-pipe}, and Playwright (which always uses the pipe). Each
 * opens a local page, reads its title and takes a multi-megabyte screenshot, then closes
 * the browser, which ends the shim and the remote Chromium.
 */
@Timeout(180)
class CdpClientsIntegrationTests {

	private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static TestPage page;

	@BeforeAll
	static void startPage() throws Exception {
		NodeClients.ensureInstalled();
		page = TestPage.start();
	}

	@AfterAll
	static void stopPage() {
		if (page != null) {
			page.close();
		}
	}

	@Test
	void puppeteerShouldDriveChromeThroughTheShimOverWebSocket() throws Exception {
		JsonNode result = drive("puppeteer-ws");
		assertThat(result.get("shimExitCode").asInt(-1)).as("the shim exits 0 after Browser.close").isZero();
	}

	@Test
	void puppeteerShouldDriveChromeThroughTheShimOverPipes() throws Exception {
		JsonNode result = drive("puppeteer-pipe");
		assertThat(result.get("shimExitCode").asInt(-1)).as("the shim exits 0 after Browser.close").isZero();
	}

	@Test
	void playwrightShouldDriveChromeThroughTheShim() throws Exception {
		drive("playwright");
	}

	private static JsonNode drive(String mode) throws Exception {
		try (RemoteChromium remote = RemoteChromium.start()) {
			NodeClients.Run run = NodeClients.drive(mode, ShimExecutable.path(), page.url(),
					Map.of("CDP_HOST", "127.0.0.1", "CDP_PORT", Integer.toString(remote.port())), RUN_TIMEOUT);
			assertThat(run.exitCode()).as("%s exit code; stderr:%n%s", mode, run.stderr()).isZero();
			JsonNode result = JSON.readTree(run.lastLine());
			assertThat(result.get("client").asString()).isEqualTo(mode);
			assertThat(result.get("title").asString()).isEqualTo(TestPage.TITLE);
			assertThat(result.get("version").asString()).contains(".");
			assertThat(result.get("pngSignature").asBoolean()).as("screenshot is a PNG").isTrue();
			assertThat(result.get("pngBytes").asInt()).as("screenshot of a noise canvas").isGreaterThan(500_000);
			assertThat(remote.awaitExit(Duration.ofSeconds(20))).as("Browser.close reached the remote Chromium")
				.isTrue();
			return result;
		}
	}

}
