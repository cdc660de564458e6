package dev.agenthub.support.auth;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Verifies hub tokens presented outside the HTTP security filter chain (a WebSocket's
 * {@code ?token=} or first message) with the same Spring Security decoder the REST APIs
 * use: signature, expiry, issuer and audience ({@link HubTokenValidators}), and hub
 * claims. {@link #refresh} checks a token that replaces a live connection's.
 */
public class HubTokenVerifier {

	private final ReactiveJwtDecoder decoder;

	private final @Nullable WarmUpPass warmUp;

	public HubTokenVerifier(ReactiveJwtDecoder decoder) {
		this(decoder, null);
	}

	/**
	 * A verifier that also admits a service's own warm-up clients while their pass is
	 * open.
	 * @param decoder the hub's JWT decoder
	 * @param warmUp the warm-up pass (closed but for the warm-up), or {@code null}
	 */
	public HubTokenVerifier(ReactiveJwtDecoder decoder, @Nullable WarmUpPass warmUp) {
		this.decoder = decoder;
		this.warmUp = warmUp;
	}

	/**
	 * Verifies a token.
	 * @param token the compact JWT
	 * @return the principal, or an error ({@code JwtException}) saying why it was refused
	 */
	public Mono<HubPrincipal> verify(String token) {
		if (token == null || token.isBlank()) {
			return Mono.error(new BadJwtException("missing token"));
		}
		Mono<HubPrincipal> warm = (this.warmUp != null) ? this.warmUp.admit(token) : null;
		if (warm != null) {
			return warm;
		}
		return this.decoder.decode(token).map(HubPrincipal::from);
	}

	/**
	 * Verifies a token presented in-band to replace the one a live connection was opened
	 * with ({@code {"type":"auth","data":{"token":"…"}}}). The new token passes every
	 * check of {@link #verify(String)} and names the same subject: a refresh extends a
	 * session, it never turns one user's connection into another's. The caller then keeps
	 * the subscriptions the returned principal still allows and closes the connection at
	 * its {@link HubPrincipal#expiresAt()}.
	 * @param current the connection's principal
	 * @param token the new compact JWT
	 * @return the new principal, or an error ({@code JwtException}) saying why it was
	 * refused
	 */
	public Mono<HubPrincipal> refresh(HubPrincipal current, String token) {
		return verify(token).flatMap((next) -> next.subject().equals(current.subject()) ? Mono.just(next)
				: Mono.error(new BadJwtException("a refreshed token must name the same subject as the connection")));
	}

}
