package dev.agenthub.integration.tailscale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Access tokens from a Tailscale OAuth client (client-credentials grant at
 * {@code POST /api/v2/oauth/token}), cached until {@code tokenRefreshMargin} before they
 * expire. Concurrent callers share one refresh; a failed refresh is not cached.
 */
final class OAuthClientCredentials implements TailscaleCredentials {

	private final WebClient web;

	private final String clientId;

	private final String clientSecret;

	private final Clock clock;

	private final Duration margin;

	private final Duration timeout;

	private final RetryPolicy retry;

	private final AtomicReference<Mono<Token>> current = new AtomicReference<>();

	OAuthClientCredentials(WebClient web, TailscaleProperties properties, Clock clock, RetryPolicy retry) {
		this.web = web;
		this.clientId = properties.oauthClientId();
		this.clientSecret = properties.oauthClientSecret();
		this.clock = clock;
		this.margin = properties.tokenRefreshMargin();
		this.timeout = properties.requestTimeout();
		this.retry = retry;
	}

	@Override
	public Mono<String> bearerToken() {
		return Mono.defer(() -> {
			Mono<Token> cached = this.current.get();
			if (cached == null) {
				return refresh(null);
			}
			return cached.flatMap((token) -> token.usableAt(this.clock.instant()) ? Mono.just(token) : refresh(cached));
		}).map(Token::value);
	}

	@Override
	public void invalidate() {
		this.current.set(null);
	}

	@Override
	public boolean renewable() {
		return true;
	}

	private Mono<Token> refresh(Mono<Token> stale) {
		Mono<Token> next = fetch().cache((token) -> Duration.ofDays(3650), (error) -> Duration.ZERO,
				() -> Duration.ZERO);
		return this.current.compareAndSet(stale, next) ? next : Mono.defer(() -> {
			Mono<Token> winner = this.current.get();
			return (winner != null) ? winner : refresh(null);
		});
	}

	private Mono<Token> fetch() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("client_id", this.clientId);
		form.add("client_secret", this.clientSecret);
		form.add("grant_type", "client_credentials");
		return Mono.defer(() -> {
			Instant requested = this.clock.instant();
			return this.web.post()
				.uri("/api/v2/oauth/token")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono((response) -> TailscaleApi.readJson("OAuth token", response))
				.timeout(this.timeout)
				.map((body) -> token(body, requested));
		}).retryWhen(this.retry.forOperation("OAuth token"));
	}

	private Token token(JsonNode body, Instant requested) {
		JsonNode accessToken = body.get("access_token");
		if (accessToken == null || !accessToken.isString() || accessToken.asString().isBlank()) {
			throw new TailscaleApiException("OAuth token", 502, "the token response has no access_token", null);
		}
		JsonNode expiresIn = body.get("expires_in");
		long seconds = (expiresIn != null && expiresIn.canConvertToLong()) ? expiresIn.asLong() : 3600;
		// Counted from the request, not the answer, so a slow answer never extends
		// validity;
		// replaced a margin before expiry, at most half its lifetime for short-lived
		// tokens.
		Duration lifetime = Duration.ofSeconds(Math.max(seconds, 0));
		Duration margin = (this.margin.compareTo(lifetime.dividedBy(2)) <= 0) ? this.margin : lifetime.dividedBy(2);
		return new Token(accessToken.asString(), requested.plus(lifetime).minus(margin));
	}

	private record Token(String value, Instant refreshAt) {

		boolean usableAt(Instant now) {
			return now.isBefore(this.refreshAt);
		}

		// The token never reaches a log through this record.
		@Override
		public String toString() {
			return "Token[refreshAt=" + this.refreshAt + "]";
		}

	}

}
