package dev.agenthub.support.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Issue 11 item 8: which HS256 secrets a production hub refuses. */
class SecretPolicyTests {

	/** The secrets README.md and k8s/config.yaml show, and the test kit's. */
	private static final String[] PUBLISHED = { "change-me-change-me-change-me-change-me",
			"replace-with-at-least-32-random-bytes-xxxxxxxx", TestTokens.SECRET };

	@Test
	void shouldRefuseThePublishedExampleSecretsInProduction() {
		for (String secret : PUBLISHED) {
			assertThat(SecretPolicy.problem(secret, true)).as(secret).isNotNull();
			assertThatIllegalStateException()
				.isThrownBy(() -> DevSecret.resolve(new HubAuthProperties(secret, null, true, "iss", "aud", null)))
				.withMessageNotContaining(secret);
		}
	}

	@Test
	void shouldRefuseShortSecretsInAnyMode() {
		assertThat(SecretPolicy.problem("0123456789abcdef0123456789abcde", false)).contains("shorter than 32");
		assertThat(SecretPolicy.problem(random(16), true)).contains("shorter than 32");
	}

	@Test
	void shouldRefuseSecretsOfVisiblyLowEntropyInProduction() {
		assertThat(SecretPolicy.problem("a".repeat(64), true)).isNotNull();
		assertThat(SecretPolicy.problem("abcdefghijklmnopqrstuvwxyz012345".repeat(2), true)).contains("repeats");
		assertThat(SecretPolicy.problem("passwordpasswordpasswordpassword12", true)).contains("entropy");
		assertThat(SecretPolicy.problem("1234567890123456789012345678901234567890", true)).isNotNull();
	}

	@Test
	void shouldAcceptGeneratedSecrets() {
		for (int i = 0; i < 50; i++) {
			assertThat(SecretPolicy.problem(random(48), true)).isNull();
			byte[] bytes = new byte[32];
			new SecureRandom().nextBytes(bytes);
			assertThat(SecretPolicy.problem(HexFormat.of().formatHex(bytes), true)).isNull();
		}
		assertThat(SecretPolicy.problem(PUBLISHED[0], false)).as("development accepts the README's example").isNull();
	}

	@Test
	void shouldMintDevelopmentTokensOnlyFromTheGeneratedSecret() {
		assertThat(DevSecret.isGenerated(new HubAuthProperties(null, null, false))).isTrue();
		assertThat(DevSecret.isGenerated(new HubAuthProperties(random(48), null, false))).isFalse();
		assertThat(DevSecret.isGenerated(new HubAuthProperties(null, "http://issuer/jwks", false))).isFalse();
		assertThat(DevSecret.isGenerated(new HubAuthProperties(null, "http://issuer/jwks", true, "i", "a", null)))
			.isFalse();
	}

	private static String random(int bytes) {
		byte[] value = new byte[bytes];
		new SecureRandom().nextBytes(value);
		return Base64.getEncoder().encodeToString(value);
	}

}
