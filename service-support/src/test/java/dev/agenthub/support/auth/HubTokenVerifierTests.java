package dev.agenthub.support.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The token checks of issue 11 item 6, against the decoder the services build: a token
 * without {@code exp}, with another issuer or audience is refused; production requires
 * issuer and audience; a refresh may not change the subject.
 */
class HubTokenVerifierTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String SECRET = TestTokens.SECRET;

	private static HubTokenVerifier verifier(HubAuthProperties properties) {
		return new HubTokenVerifier(new HubSecurityConfiguration().hubJwtDecoder(properties));
	}

	private static HubTokenVerifier plain() {
		return verifier(new HubAuthProperties(SECRET, null, false));
	}

	private static HubTokenVerifier checked() {
		return verifier(new HubAuthProperties(SECRET, null, false, "https://issuer.test", "agent-hub", null));
	}

	static String token(Consumer<JWTClaimsSet.Builder> customizer) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice")
			.claim("roles", List.of("user"))
			.claim("workspaces", List.of("w1", "w2"))
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(600)));
		customizer.accept(claims);
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
			jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void shouldRefuseATokenWithoutExpiry() {
		String forever = token((claims) -> claims.expirationTime(null));
		plain().verify(forever)
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(JwtException.class).hasMessageContaining("exp"))
			.verify(WAIT);
	}

	@Test
	void shouldRefuseATokenWithoutASubject() {
		// no sub, or a blank one: nobody to authorize, count or announce; it was accepted
		// and a browser connection with it hung, unanswered (seen as a user, 2026-12-07)
		for (String nobody : List.of(token((claims) -> claims.subject(null)), token((claims) -> claims.subject(" ")))) {
			plain().verify(nobody)
				.as(StepVerifier::create)
				.expectErrorSatisfies(
						(ex) -> assertThat(ex).isInstanceOf(JwtException.class).hasMessageContaining("sub"))
				.verify(WAIT);
		}
	}

	@Test
	void shouldKnowWhenAVerifiedTokenExpiresAndWhereItsUserMayRunCommands() {
		Instant exp = Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		String token = token((claims) -> claims.expirationTime(Date.from(exp)).claim("exec", List.of("w1")));
		HubPrincipal principal = plain().verify(token).block(WAIT);
		assertThat(principal.expiresAt()).isEqualTo(exp);
		assertThat(principal.expiredAt(exp)).isTrue();
		assertThat(principal.expiredAt(exp.minusSeconds(1))).isFalse();
		assertThat(principal.maySeeWorkspace("w2")).isTrue();
		assertThat(principal.mayExecIn("w1")).isTrue();
		assertThat(principal.mayExecIn("w2")).as("watching is not driving").isFalse();
		assertThat(plain().verify(TestTokens.user("bob", "w1", "w2")).block(WAIT).mayExecIn("w2"))
			.as("without exec: all the user's workspaces")
			.isTrue();
	}

	@Test
	void shouldNotLetAnExecClaimReachBeyondTheUsersWorkspaces() {
		String token = token((claims) -> claims.claim("exec", List.of("*", "w9")));
		HubPrincipal principal = plain().verify(token).block(WAIT);
		assertThat(principal.mayExecIn("w1")).isTrue();
		assertThat(principal.mayExecIn("w9")).isFalse();
	}

	@Test
	void shouldCheckIssuerAndAudienceWhenConfigured() {
		String good = token((claims) -> claims.issuer("https://issuer.test").audience(List.of("other", "agent-hub")));
		assertThat(checked().verify(good).block(WAIT).subject()).isEqualTo("alice");
		String noIssuer = token((claims) -> claims.audience("agent-hub"));
		String otherIssuer = token((claims) -> claims.issuer("https://evil.test").audience("agent-hub"));
		String otherAudience = token((claims) -> claims.issuer("https://issuer.test").audience("another-app"));
		String noAudience = token((claims) -> claims.issuer("https://issuer.test"));
		for (String refused : List.of(noIssuer, otherIssuer, otherAudience, noAudience)) {
			checked().verify(refused).as(StepVerifier::create).expectError(JwtException.class).verify(WAIT);
		}
		assertThat(plain().verify(otherIssuer).block(WAIT)).as("unchecked when not configured").isNotNull();
	}

	@Test
	void shouldRequireIssuerAndAudienceInProduction() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new HubAuthProperties(null, "https://issuer.test/jwks", true, null, "agent-hub", null))
			.withMessageContaining("HUB_AUTH_ISSUER");
		assertThatIllegalStateException().isThrownBy(
				() -> new HubAuthProperties(null, "https://issuer.test/jwks", true, "https://issuer.test", " ", null))
			.withMessageContaining("HUB_AUTH_AUDIENCE");
	}

	@Test
	void shouldAcceptARefreshForTheSameSubjectOnly() {
		HubTokenVerifier verifier = plain();
		HubPrincipal current = verifier.verify(TestTokens.user("alice", "w1")).block(WAIT);
		String later = token((claims) -> claims.expirationTime(Date.from(Instant.now().plusSeconds(7200)))
			.claim("workspaces", List.of("w1")));
		HubPrincipal refreshed = verifier.refresh(current, later).block(WAIT);
		assertThat(refreshed.expiresAt()).isAfter(current.expiresAt());
		assertThat(refreshed.maySeeWorkspace("w2")).as("the new token's workspaces").isFalse();
		verifier.refresh(current, TestTokens.user("mallory", "w1"))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).hasMessageContaining("same subject"))
			.verify(WAIT);
		verifier
			.refresh(current,
					TestTokens.sign(SECRET, "alice", List.of("user"), List.of("w1"), null, Duration.ofMinutes(-5)))
			.as(StepVerifier::create)
			.expectError(JwtException.class)
			.verify(WAIT);
	}

	@Test
	void shouldMintServiceAndDevelopmentTokensTheConfiguredChecksAccept() {
		HubAuthProperties properties = new HubAuthProperties(SECRET, null, false, "https://issuer.test", "agent-hub",
				null);
		String service = ServiceTokenSource.of(null, "gateway-service", properties).token();
		assertThat(checked().verify(service).block(WAIT).mayPublish()).isTrue();
	}

}
