package dev.agenthub.support.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up pass is verified like a token, admits only itself, only while open and
 * unexpired, and only to the warm-up's workspaces, whatever its claims say; the verifier
 * still verifies other tokens with the hub's decoder meanwhile.
 */
class WarmUpPassTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final HubAuthProperties PROPERTIES = new HubAuthProperties(TestTokens.SECRET, null, false,
			"https://issuer.test", "agent-hub", null);

	private final WarmUpPass pass = new WarmUpPass(PROPERTIES);

	private final HubTokenVerifier verifier = new HubTokenVerifier(
			new HubSecurityConfiguration().hubJwtDecoder(PROPERTIES), this.pass);

	@Test
	void shouldAdmitTheOpenPassToTheWarmUpWorkspacesOnly() {
		String token = this.pass.open(Instant.now().plusSeconds(60));
		HubPrincipal principal = this.verifier.verify(token).block(WAIT);
		assertThat(principal.subject()).isEqualTo(WarmUpPass.SUBJECT);
		assertThat(principal.roles()).containsExactly(Role.USER);
		assertThat(principal.maySeeWorkspace(WarmUpPass.WORKSPACE)).isTrue();
		assertThat(principal.maySeeWorkspace(WarmUpPass.WORKSPACE + "-0")).isTrue();
		assertThat(principal.maySeeWorkspace(WarmUpPass.WORKSPACE + "-" + (WarmUpPass.CHANNELS - 1))).isTrue();
		assertThat(principal.maySeeWorkspace(WarmUpPass.WORKSPACE + "-" + WarmUpPass.CHANNELS)).isFalse();
		assertThat(principal.maySeeWorkspace("w1")).isFalse();
		assertThat(principal.mayExecIn("w1")).isFalse();
	}

	@Test
	void shouldRefuseAPassWithAForgedSignature() {
		String token = this.pass.open(Instant.now().plusSeconds(60));
		int dot = token.lastIndexOf('.');
		char first = token.charAt(dot + 1);
		String flipped = token.substring(0, dot + 1) + ((first == 'A') ? 'B' : 'A') + token.substring(dot + 2);
		StepVerifier.create(this.verifier.verify(flipped)).expectError(JwtException.class).verify(WAIT);
	}

	@Test
	void shouldRefuseAPassMadeWithAnotherKeyUnderItsKeyId() throws Exception {
		String token = this.pass.open(Instant.now().plusSeconds(60));
		String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
		String keyId = header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("mallory")
			.claim("roles", List.of("admin"))
			.claim("workspaces", List.of("*"))
			.issuer("https://issuer.test")
			.audience("agent-hub")
			.expirationTime(Date.from(Instant.now().plusSeconds(60)))
			.build();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keyId).build(), claims);
		forged.sign(new MACSigner("an-attackers-own-key-0123456789-0123456789".getBytes(StandardCharsets.UTF_8)));
		StepVerifier.create(this.verifier.verify(forged.serialize())).expectError(JwtException.class).verify(WAIT);
	}

	@Test
	void shouldRefuseThePassOnceClosedOrExpired() {
		String closed = this.pass.open(Instant.now().plusSeconds(60));
		this.pass.close();
		StepVerifier.create(this.verifier.verify(closed)).expectError(JwtException.class).verify(WAIT);
		String expired = this.pass.open(Instant.now().minusSeconds(1));
		StepVerifier.create(this.verifier.verify(expired)).expectError(JwtException.class).verify(WAIT);
		String reopened = this.pass.open(Instant.now().plusSeconds(60));
		assertThat(reopened).isNotEqualTo(closed);
		StepVerifier.create(this.verifier.verify(closed)).expectError(JwtException.class).verify(WAIT);
		assertThat(this.verifier.verify(reopened).block(WAIT).subject()).isEqualTo(WarmUpPass.SUBJECT);
	}

	@Test
	void shouldStillVerifyTokensWhileThePassIsOpen() {
		this.pass.open(Instant.now().plusSeconds(60));
		String alice = HubTokenVerifierTests
			.token((claims) -> claims.issuer("https://issuer.test").audience("agent-hub"));
		HubPrincipal principal = this.verifier.verify(alice).block(WAIT);
		assertThat(principal.subject()).isEqualTo("alice");
		assertThat(principal.maySeeWorkspace("w1")).isTrue();
	}

}
