package dev.agenthub.integration.provision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.agenthub.integration.IntegrationServiceTestBase;
import dev.agenthub.integration.shim.ReleaseStore;
import dev.agenthub.integration.shim.SemVer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shim URL provisioning hands out, fetched as {@code curl} fetches it, when the
 * latest release carries build metadata. A registry of its own (a directory), so that
 * this release is the latest whatever the other tests store.
 */
class ProvisionShimUrlIntegrationTests extends IntegrationServiceTestBase {

	static final Path SHIM_DIR = tempDir();

	@DynamicPropertySource
	static void shimDirectory(DynamicPropertyRegistry registry) {
		registry.add("hub.shim.storage", () -> "directory");
		registry.add("hub.shim.directory", SHIM_DIR::toString);
		registry.add("hub.shim.bundled.enabled", () -> "false");
	}

	@Autowired
	ReleaseStore store;

	/**
	 * Before, the URL was {@code …/bundle?version=0.2.0+build.7}: the {@code +} of the
	 * build metadata reached the server as a space and the download was a 400.
	 */
	@Test
	void shouldHandOutAShimUrlThatDownloadsAReleaseWithBuildMetadata() throws Exception {
		byte[] shim = "#!/bin/sh\necho built chromium\n".getBytes();
		this.store
			.put(SemVer.parse("0.2.0+build.7"), Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(shim)), 1 << 20)
			.block(Duration.ofSeconds(10));
		JsonNode answer = client().post()
			.uri("/api/workspaces/w-build/provision")
			.headers((headers) -> headers.setBearerAuth(ProvisionIntegrationTests.SERVICE))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.get("cdpShim").get("version").asString()).isEqualTo("0.2.0+build.7");
		String url = answer.get("env").get("CDP_SHIM_URL").asString();
		assertThat(url).isEqualTo(answer.get("cdpShim").get("url").asString());
		assertThat(answer.get("install").get(0).asString()).contains("'" + url + "'");

		// what curl sends: the URL's bytes as they are, to this service
		URI handedOut = URI.create(url);
		HttpResponse<byte[]> download = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + this.port + handedOut.getRawPath() + "?" + handedOut.getRawQuery()))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(download.statusCode()).as("status of GET %s", url).isEqualTo(200);
		assertThat(download.headers().firstValue("X-CDP-Shim-Version")).hasValue("0.2.0+build.7");
		assertThat(download.body()).isEqualTo(shim);
		assertThat(ProvisionIntegrationTests.sha256(download.body()))
			.isEqualTo(answer.get("env").get("CDP_SHIM_SHA256").asString());
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("provision-shim-url");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
