package dev.agenthub.support.auth;

import java.time.Duration;
import java.time.Instant;

import dev.agenthub.contracts.auth.Role;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up pass admits only itself, only while open and unexpired, and only to the
 * warm-up workspace; the verifier tries it before the JWT decoder and falls back to it.
 */
class WarmUpPassTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WarmUpPass pass = new WarmUpPass();

	private final HubTokenVerifier verifier = new HubTokenVerifier(
			new HubSecurityConfiguration().hubJwtDecoder(new HubAuthProperties(TestTokens.SECRET, null, false)),
			this.pass);

	@Test
	void shouldAdmitTheOpenPassToTheWarmUpWorkspaceOnly() {
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
	void shouldRefuseAForgedPassOfTheSameShape() {
		String token = this.pass.open(Instant.now().plusSeconds(60));
		char last = token.charAt(token.length() - 1);
		String forged = token.substring(0, token.length() - 1) + (char) ((last == 'A') ? 'B' : 'A');
		StepVerifier.create(this.verifier.verify(forged)).expectError(JwtException.class).verify(WAIT);
		StepVerifier.create(this.verifier.verify("warm-up.")).expectError(JwtException.class).verify(WAIT);
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
	}

	@Test
	void shouldStillVerifyTokensWhileThePassIsOpen() {
		this.pass.open(Instant.now().plusSeconds(60));
		HubPrincipal alice = this.verifier.verify(TestTokens.user("alice", "w1")).block(WAIT);
		assertThat(alice.subject()).isEqualTo("alice");
		assertThat(alice.maySeeWorkspace("w1")).isTrue();
	}

}
