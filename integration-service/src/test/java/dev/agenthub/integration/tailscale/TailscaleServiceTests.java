package dev.agenthub.integration.tailscale;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class TailscaleServiceTests {

	static TailscaleProperties properties(String apiKey, String clientId, String secret) {
		return new TailscaleProperties(URI.create("https://api.tailscale.com"), null, apiKey, clientId, secret, null,
				false, "ws-", Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
				Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(60), null);
	}

	@Test
	void shouldAnswerNotConfiguredWithAClearMessageWhenNotConfigured() {
		TailscaleService service = new TailscaleService(properties("", null, null), null, null,
				new TailscaleMetrics(new SimpleMeterRegistry()));
		StepVerifier.create(service.createAuthKey(new AuthKeyRequest("w1", null, null, null, null)))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(ContractViolation.class).hasMessageContaining("HUB_TAILSCALE_API_KEY");
				assertThat(((ContractViolation) ex).code()).isEqualTo(ErrorCode.NOT_CONFIGURED);
				assertThat(((ContractViolation) ex).code().httpStatus()).isEqualTo(503);
			})
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(service.devices(null, null).then())
			.expectError(ContractViolation.class)
			.verify(Duration.ofSeconds(5));
		assertThat(service.status()).containsEntry("configured", false)
			.containsEntry("credential", "none")
			.containsEntry("tailnet", "-");
	}

	@Test
	void shouldPreferAnApiKeyAndNeverPrintSecrets() {
		TailscaleProperties both = properties("tskey-api-abc", "client", "tskey-client-xyz");
		assertThat(both.credentialKind()).isEqualTo(TailscaleProperties.CredentialKind.API_KEY);
		assertThat(both.toString()).doesNotContain("tskey-api-abc", "tskey-client-xyz");
		assertThat(properties(null, "client", "tskey-client-xyz").credentialKind())
			.isEqualTo(TailscaleProperties.CredentialKind.OAUTH_CLIENT);
		assertThat(properties(null, "client", " ").configured()).isFalse();
		assertThat(new AuthKey("k1", "tskey-auth-secret", null, List.of(), "ws-w1", true, false).toString())
			.doesNotContain("tskey-auth-secret");
	}

	@Test
	void shouldDeriveNamesWithinTailscaleRules() {
		assertThat(TailscaleNames.description("w1", "acme/web")).isEqualTo("hub w1 acme-web");
		assertThat(TailscaleNames.description("x".repeat(80), null)).hasSize(50);
		assertThat(TailscaleNames.workspaceTag("Team_A.42")).startsWith("tag:ws-team-a-42--")
			.matches(TailscaleNames.TAG);
		assertThat(TailscaleNames.label("w1")).isEqualTo("w1");
		assertThat(TailscaleNames.label("W1")).startsWith("w1--").hasSize(20);
	}

	@Test
	void shouldGiveWorkspacesThatNormaliseAlikeDistinctNamesAndTags() {
		List<String> alike = List.of("acme", "Acme", "ACME", "acme.", "acme_", "acme:", "a.cme", "a-cme", "a_cme",
				"x".repeat(40), "x".repeat(41), "x".repeat(41) + "y", "acme--0123456789abcdef");
		Set<String> labels = new HashSet<>();
		for (String workspace : alike) {
			String label = TailscaleNames.label(workspace);
			assertThat(labels.add(label)).as(workspace + " -> " + label).isTrue();
			assertThat(TailscaleNames.workspaceTag(workspace)).matches(TailscaleNames.TAG);
			assertThat(("ws-" + label).length()).isLessThanOrEqualTo(63);
		}
		assertThat(TailscaleNames.label("x".repeat(128))).hasSizeLessThanOrEqualTo(42);
	}

}
