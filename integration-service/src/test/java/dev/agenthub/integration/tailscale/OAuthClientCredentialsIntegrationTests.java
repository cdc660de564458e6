package dev.agenthub.integration.tailscale;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The OAuth client against {@link FakeTailscale}'s token endpoint, outside Spring. */
class OAuthClientCredentialsIntegrationTests {

	static final FakeTailscale TAILSCALE = FakeTailscale.start(Instant::now);

	@AfterAll
	static void stop() {
		TAILSCALE.close();
	}

	OAuthClientCredentials credentials(String secret) {
		TailscaleProperties properties = new TailscaleProperties(URI.create(TAILSCALE.url()), "-", null,
				FakeTailscale.CLIENT_ID, secret, null, false, "ws-", Duration.ofHours(1), Duration.ofSeconds(2),
				Duration.ofSeconds(2), 3, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(60), null);
		return new OAuthClientCredentials(WebClient.create(TAILSCALE.url()), properties, Clock.systemUTC(),
				new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(1), null));
	}

	@Test
	void shouldFailClearlyAndWithoutRetriesForAWrongSecret() {
		TAILSCALE.reset();
		StepVerifier.create(credentials("tskey-client-wrong").bearerToken().onErrorMap(TailscaleErrors::translate))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(ContractViolation.class)
					.hasMessageContaining("refused the hub's credentials (401)")
					.hasMessageContaining("invalid client credentials")
					.hasMessageNotContaining("tskey-client-wrong");
				assertThat(((ContractViolation) ex).code()).isEqualTo(ErrorCode.UNAVAILABLE);
			})
			.verify(Duration.ofSeconds(10));
		assertThat(TAILSCALE.calls("token")).isEqualTo(1);
	}

	@Test
	void shouldShareOneRefreshAmongConcurrentCallers() {
		TAILSCALE.reset();
		OAuthClientCredentials credentials = credentials(FakeTailscale.CLIENT_SECRET);
		StepVerifier.create(Flux.range(0, 8).flatMap((i) -> credentials.bearerToken()).distinct().collectList())
			.assertNext((tokens) -> assertThat(tokens).hasSize(1))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(TAILSCALE.calls("token")).isEqualTo(1);
	}

}
