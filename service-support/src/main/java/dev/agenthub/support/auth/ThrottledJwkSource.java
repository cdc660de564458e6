package dev.agenthub.support.auth;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An issuer's JWKS, fetched once and kept, and fetched again when a token names a key id
 * the kept set lacks (the issuer rotated its keys) — but at most once per
 * {@code minInterval}, however many such tokens arrive: a client sending tokens with
 * made-up key ids must not turn the hub into a load generator against the issuer. A token
 * whose key is not found within that budget is refused. Concurrent callers share one
 * fetch; a failed fetch is not kept.
 */
public final class ThrottledJwkSource implements Function<SignedJWT, Flux<JWK>> {

	private final Mono<JWKSet> fetch;

	private final long minIntervalNanos;

	private final LongSupplier nanoTime;

	private final Object lock = new Object();

	private JWKSet known;

	private Mono<JWKSet> inFlight;

	private long lastFetchStart;

	private long fetches;

	/**
	 * A source over a JWKS URL.
	 * @param webClient the client to fetch with
	 * @param jwkSetUri the JWKS URL
	 * @param minInterval least time between two fetches
	 */
	public ThrottledJwkSource(WebClient webClient, String jwkSetUri, Duration minInterval) {
		this(webClient.get().uri(jwkSetUri).retrieve().bodyToMono(String.class).map(ThrottledJwkSource::parse),
				minInterval, System::nanoTime);
	}

	ThrottledJwkSource(Mono<JWKSet> fetch, Duration minInterval, LongSupplier nanoTime) {
		this.fetch = fetch;
		this.minIntervalNanos = minInterval.toNanos();
		this.nanoTime = nanoTime;
	}

	@Override
	public Flux<JWK> apply(SignedJWT jwt) {
		String keyId = jwt.getHeader().getKeyID();
		JWKSet set;
		synchronized (this.lock) {
			set = this.known;
		}
		if (set != null) {
			List<JWK> keys = select(set, keyId);
			if (!keys.isEmpty()) {
				return Flux.fromIterable(keys);
			}
		}
		Mono<JWKSet> fetching = fetchIfAllowed();
		if (fetching == null) {
			return (set != null) ? Flux.empty()
					: Flux.error(new JwtException("the issuer's JWKS is unavailable; it is fetched again at most every "
							+ Duration.ofNanos(this.minIntervalNanos).toSeconds() + " s"));
		}
		return fetching.flatMapMany((fresh) -> Flux.fromIterable(select(fresh, keyId)));
	}

	/** How many times the JWKS was fetched (for tests and metrics). */
	public long fetches() {
		synchronized (this.lock) {
			return this.fetches;
		}
	}

	/** The fetch under way, a new one when the budget allows, else {@code null}. */
	private Mono<JWKSet> fetchIfAllowed() {
		synchronized (this.lock) {
			if (this.inFlight != null) {
				return this.inFlight;
			}
			long now = this.nanoTime.getAsLong();
			if (this.fetches > 0 && now - this.lastFetchStart < this.minIntervalNanos) {
				return null;
			}
			this.lastFetchStart = now;
			this.fetches++;
			this.inFlight = this.fetch.doOnNext(this::fetched)
				.doFinally((signal) -> fetched(null))
				.onErrorMap((error) -> !(error instanceof JwtException),
						(error) -> new JwtException("the issuer's JWKS is unavailable: " + error.getMessage(), error))
				.cache();
			return this.inFlight;
		}
	}

	private void fetched(JWKSet set) {
		synchronized (this.lock) {
			if (set != null) {
				this.known = set;
			}
			this.inFlight = null;
		}
	}

	private static List<JWK> select(JWKSet set, String keyId) {
		if (keyId == null) {
			return set.getKeys();
		}
		JWK key = set.getKeyByKeyId(keyId);
		return (key != null) ? List.of(key) : List.of();
	}

	private static JWKSet parse(String body) {
		try {
			return JWKSet.parse(body);
		}
		catch (ParseException ex) {
			throw new JwtException("the issuer's JWKS is not a JWK set: " + ex.getMessage(), ex);
		}
	}

}
