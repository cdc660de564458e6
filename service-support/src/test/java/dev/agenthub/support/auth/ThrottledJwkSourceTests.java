package dev.agenthub.support.auth;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 6: tokens naming unknown key ids do not make the hub refetch the issuer's
 * JWKS for each of them. A real HTTP JWKS server counts the fetches; time is a test
 * clock.
 */
class ThrottledJwkSourceTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicReference<JWKSet> published = new AtomicReference<>();

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private HttpServer issuer;

	private RSAKey key;

	private ThrottledJwkSource source;

	private ReactiveJwtDecoder decoder;

	@BeforeEach
	void start() throws Exception {
		this.key = new RSAKeyGenerator(2048).keyID("k1").generate();
		this.published.set(new JWKSet(this.key.toPublicJWK()));
		this.issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.issuer.createContext("/jwks", (exchange) -> {
			this.served.incrementAndGet();
			byte[] body = this.published.get().toString().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.issuer.start();
		String uri = "http://127.0.0.1:" + this.issuer.getAddress().getPort() + "/jwks";
		this.source = new ThrottledJwkSource(WebClient.create()
			.get()
			.uri(uri)
			.retrieve()
			.bodyToMono(String.class)
			.map(ThrottledJwkSourceTests::parse), Duration.ofSeconds(30), this.clock::get);
		this.decoder = NimbusReactiveJwtDecoder.withJwkSource(this.source)
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
	}

	@AfterEach
	void stop() {
		this.issuer.stop(0);
	}

	@Test
	void shouldFetchTheJwksOnceForManyTokensWithMadeUpKeyIds() throws Exception {
		assertThat(this.decoder.decode(sign(this.key, "k1")).block(WAIT).getSubject()).isEqualTo("alice");
		RSAKey attacker = new RSAKeyGenerator(2048).generate();
		flood(attacker);
		assertThat(this.served.get()).as("the fetch at start only").isEqualTo(1);
		this.clock.addAndGet(Duration.ofSeconds(31).toNanos());
		flood(attacker);
		assertThat(this.served.get()).as("one refetch per interval").isEqualTo(2);
		assertThat(this.source.fetches()).isEqualTo(2);
		assertThat(this.decoder.decode(sign(this.key, "k1")).block(WAIT).getSubject()).isEqualTo("alice");
		assertThat(this.served.get()).isEqualTo(2);
	}

	private void flood(RSAKey attacker) throws JOSEException {
		for (int i = 0; i < 100; i++) {
			this.decoder.decode(sign(attacker, UUID.randomUUID().toString()))
				.as(StepVerifier::create)
				.expectError(JwtException.class)
				.verify(WAIT);
		}
	}

	@Test
	void shouldPickUpARotatedKeyOnceTheIntervalHasPassed() throws Exception {
		assertThat(this.decoder.decode(sign(this.key, "k1")).block(WAIT)).isNotNull();
		RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
		this.decoder.decode(sign(rotated, "k2")).as(StepVerifier::create).expectError(JwtException.class).verify(WAIT);
		this.published.set(new JWKSet(List.of(this.key.toPublicJWK(), rotated.toPublicJWK())));
		this.decoder.decode(sign(rotated, "k2"))
			.as(StepVerifier::create)
			.as("within the interval: not fetched again")
			.expectError(JwtException.class)
			.verify(WAIT);
		this.clock.addAndGet(Duration.ofSeconds(31).toNanos());
		assertThat(this.decoder.decode(sign(rotated, "k2")).block(WAIT).getSubject()).isEqualTo("alice");
		assertThat(this.served.get()).isEqualTo(2);
	}

	@Test
	void shouldNotRetryAnUnreachableIssuerForEveryToken() throws Exception {
		this.issuer.stop(0);
		for (int i = 0; i < 20; i++) {
			this.decoder.decode(sign(this.key, "k1")).as(StepVerifier::create).expectError().verify(WAIT);
		}
		assertThat(this.source.fetches()).isEqualTo(1);
	}

	private static JWKSet parse(String body) {
		try {
			return JWKSet.parse(body);
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sign(RSAKey key, String keyId) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(),
				new JWTClaimsSet.Builder().subject("alice")
					.claim("roles", List.of("user"))
					.expirationTime(Date.from(Instant.now().plusSeconds(600)))
					.build());
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

}
