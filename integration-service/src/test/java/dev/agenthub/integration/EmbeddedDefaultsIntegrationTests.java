package dev.agenthub.integration;

import java.nio.file.Files;
import java.util.Random;

import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/** The service with no external database: H2 file storage, health probes and metrics. */
class EmbeddedDefaultsIntegrationTests extends EmbeddedServiceTestBase {

	@Test
	void shouldStoreReleasesInTheEmbeddedDatabaseFile() {
		byte[] bytes = new byte[70_000];
		new Random(3).nextBytes(bytes);
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("version", "0.1.0");
		body.part("file", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "chromium";
			}
		});
		client().post()
			.uri("/api/cdp-shim/releases")
			.headers((headers) -> headers.setBearerAuth(TestTokens.service("ci")))
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus()
			.isCreated();
		byte[] downloaded = client().get()
			.uri("/api/cdp-shim/bundle")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-CDP-Shim-Version", "0.1.0")
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(downloaded).isEqualTo(bytes);
		assertThat(Files.exists(DATA_DIR.resolve("integration.mv.db"))).isTrue();
	}

	@Test
	void shouldExposeHealthProbesAndMetrics() {
		client().get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		client().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((text) -> assertThat(text).contains("jvm_memory_used_bytes"));
	}

	@Test
	void shouldKeepOtherApiEndpointsClosedWhileDownloadsAreOpen() {
		client().get().uri("/api/cdp-shim/releases").exchange().expectStatus().isOk();
		client().head().uri("/api/cdp-shim/releases").exchange().expectStatus().isOk();
		client().post().uri("/api/cdp-shim/releases").exchange().expectStatus().isUnauthorized();
		client().get().uri("/api/tailscale/status").exchange().expectStatus().isUnauthorized();
		client().get()
			.uri("/api/tailscale/status")
			.headers((headers) -> headers.setBearerAuth(TestTokens.user("u", "w")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.credential")
			.isEqualTo("oauth-client")
			.jsonPath("$.tailnet")
			.isEqualTo("T1234CNTRL");
	}

}
