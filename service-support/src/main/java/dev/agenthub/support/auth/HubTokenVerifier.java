package dev.agenthub.support.auth;

import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Verifies hub tokens presented outside the HTTP security filter chain (a WebSocket's
 * {@code ?token=} or first message) with the same Spring Security decoder the REST APIs
 * use: signature, expiry and hub claims.
 */
public class HubTokenVerifier {

	private final ReactiveJwtDecoder decoder;

	public HubTokenVerifier(ReactiveJwtDecoder decoder) {
		this.decoder = decoder;
	}

	/**
	 * Verifies a token.
	 * @param token the compact JWT
	 * @return the principal, or an error ({@code JwtException}) saying why it was refused
	 */
	public Mono<HubPrincipal> verify(String token) {
		if (token == null || token.isBlank()) {
			return Mono.error(new org.springframework.security.oauth2.jwt.BadJwtException("missing token"));
		}
		return this.decoder.decode(token).map(HubPrincipal::from);
	}

}
