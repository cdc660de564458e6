package dev.agenthub.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.agenthub.integration.tailscale.FakeTailscale;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service with its single-process storage (the embedded H2 file database, here in a
 * temporary directory) and Tailscale through an OAuth client against a
 * {@link FakeTailscale}, both on a clock the tests move.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(EmbeddedServiceTestBase.ClockConfiguration.class)
public abstract class EmbeddedServiceTestBase {

	protected static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

	protected static final FakeTailscale TAILSCALE = FakeTailscale.start(CLOCK::instant);

	protected static final Path DATA_DIR = tempDir();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("hub.database.data-dir", DATA_DIR::toString);
		registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
		registry.add("hub.tailscale.api-url", TAILSCALE::url);
		registry.add("hub.tailscale.tailnet", () -> "T1234CNTRL");
		registry.add("hub.tailscale.oauth-client-id", () -> FakeTailscale.CLIENT_ID);
		registry.add("hub.tailscale.oauth-client-secret", () -> FakeTailscale.CLIENT_SECRET);
		registry.add("hub.tailscale.default-tags", () -> "tag:workspace");
		registry.add("hub.tailscale.retry-backoff", () -> "10ms");
	}

	@LocalServerPort
	protected int port;

	/**
	 * A client on a connection of its own per request: no pooled keep-alive connection is
	 * carried from one test into the next (a first request once waited 20 s on one).
	 */
	protected WebTestClient client() {
		return TestHttp.client(this.port, Duration.ofSeconds(20));
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("integration-service-test");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ClockConfiguration {

		@Bean
		Clock clock() {
			return CLOCK;
		}

	}

}
