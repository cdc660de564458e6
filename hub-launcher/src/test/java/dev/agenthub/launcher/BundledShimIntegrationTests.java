package dev.agenthub.launcher;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import dev.agenthub.integration.IntegrationServiceApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fresh hub serves the CDP shim from its own build: the launcher carries
 * {@code cdp-shim/target/chromium} on its classpath and integration-service publishes it
 * as the first release of an empty registry, so the seed's
 * {@code curl …/api/cdp-shim/bundle} works without an upload.
 */
class BundledShimIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void shouldServeTheBundledShimFromAFreshHub() throws Exception {
		byte[] bundled;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("cdp-shim/chromium")) {
			assertThat(in).as("cdp-shim/chromium on the launcher's classpath (build with -am)").isNotNull();
			bundled = in.readAllBytes();
		}
		assertThat(new String(bundled, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("#!");
		try (ConfigurableApplicationContext integration = new SpringApplicationBuilder(
				IntegrationServiceApplication.class)
			.web(WebApplicationType.REACTIVE)
			.run("--server.port=0", "--spring.config.name=hub", "--hub.database.data-dir=" + this.dataDir,
					"--spring.main.banner-mode=off")) {
			int port = ((WebServerApplicationContext) integration).getWebServer().getPort();
			HttpClient http = HttpClient.newHttpClient();
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cdp-shim/bundle"))
				.timeout(Duration.ofSeconds(10))
				.build();
			HttpResponse<byte[]> response = await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()),
						(answer) -> answer.statusCode() == 200);
			assertThat(response.body()).isEqualTo(bundled);
			String version = new String(
					getClass().getClassLoader().getResourceAsStream("cdp-shim/chromium.version").readAllBytes(),
					StandardCharsets.UTF_8)
				.trim()
				.replace("-SNAPSHOT", "");
			assertThat(response.headers().firstValue("X-CDP-Shim-Version")).hasValue(version);
		}
	}

}
