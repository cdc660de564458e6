package dev.agenthub.support.auth;

import java.time.Duration;
import java.util.List;

/**
 * The token a hub service shows other hub services (the gateway to broadcast-service and
 * agent-service, agent-service to integration-service): {@code hub.auth.service-token}
 * ({@code HUB_AUTH_SERVICE_TOKEN}, e.g. from the issuer in production) when set, else a
 * {@code service} token minted with the shared HS256 secret and renewed before it
 * expires.
 */
@FunctionalInterface
public interface ServiceTokenSource {

	/** A currently valid service token. */
	String token();

	/**
	 * The configured token, or one minted for {@code name} with the secret.
	 * @param configured the configured token; blank to mint
	 * @param name the service's name ({@code sub} of minted tokens)
	 * @param auth the auth settings holding the secret
	 */
	static ServiceTokenSource of(String configured, String name, HubAuthProperties auth) {
		if (configured != null && !configured.isBlank()) {
			return () -> configured;
		}
		DevTokens tokens = DevTokens.of(auth);
		return new ServiceTokenSource() {

			private volatile String token;

			private volatile long renewAt;

			@Override
			public String token() {
				if (this.token == null || System.currentTimeMillis() > this.renewAt) {
					this.token = tokens.mint(name, List.of("service"), null, null, Duration.ofHours(1));
					this.renewAt = System.currentTimeMillis() + Duration.ofMinutes(50).toMillis();
				}
				return this.token;
			}

		};
	}

}
