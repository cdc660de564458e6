package dev.agenthub.integration.tailscale;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * The Tailscale API client ({@code hub.tailscale.*}). Configured means: an API access
 * token, or an OAuth client id and secret.
 *
 * @param apiUrl the API's base URL ({@code HUB_TAILSCALE_API_URL})
 * @param tailnet the tailnet ID, {@code -} for the credential's own tailnet
 * ({@code HUB_TAILSCALE_TAILNET})
 * @param apiKey an API access token, {@code tskey-api-...}
 * ({@code HUB_TAILSCALE_API_KEY})
 * @param oauthClientId an OAuth client's id ({@code HUB_TAILSCALE_OAUTH_CLIENT_ID})
 * @param oauthClientSecret its secret, {@code tskey-client-...}
 * ({@code HUB_TAILSCALE_OAUTH_CLIENT_SECRET})
 * @param defaultTags tags for auth keys whose request names none (required with an OAuth
 * client, e.g. {@code tag:workspace})
 * @param workspaceTags whether keys also carry {@code tag:ws-<workspace>} (the tailnet
 * policy must then own such tags); off by default, offboarding then matches exact host
 * names
 * @param hostnamePrefix the host name prefix containers use, {@code <prefix><workspace>}
 * @param defaultExpiry auth key lifetime when the request names none
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time limit of one HTTP exchange
 * @param maxRetries retries of an idempotent call after 429, 5xx or a transport error
 * @param retryBackoff first retry delay (doubled each time, with jitter)
 * @param maxRetryDelay the longest wait before a retry, also caps {@code Retry-After}
 * @param tokenRefreshMargin how long before expiry an OAuth access token is replaced
 * @param maxResponseSize the largest answer read from Tailscale (a tailnet's whole device
 * list comes in one answer, about 800 bytes a device); a larger one fails the call with
 * 503
 */
@ConfigurationProperties("hub.tailscale")
public record TailscaleProperties(@DefaultValue("https://api.tailscale.com") URI apiUrl,
		@DefaultValue("-") String tailnet, String apiKey, String oauthClientId, String oauthClientSecret,
		@DefaultValue("") List<String> defaultTags, @DefaultValue("false") boolean workspaceTags,
		@DefaultValue("ws-") String hostnamePrefix, @DefaultValue("3600s") Duration defaultExpiry,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout,
		@DefaultValue("3") int maxRetries, @DefaultValue("200ms") Duration retryBackoff,
		@DefaultValue("10s") Duration maxRetryDelay, @DefaultValue("60s") Duration tokenRefreshMargin,
		@DefaultValue("16MB") DataSize maxResponseSize) {

	public TailscaleProperties {
		tailnet = StringUtils.hasText(tailnet) ? tailnet.trim() : "-";
		defaultTags = (defaultTags != null) ? defaultTags.stream().filter(StringUtils::hasText).toList() : List.of();
		if (maxRetries < 0) {
			throw new IllegalArgumentException("hub.tailscale.max-retries must not be negative");
		}
		if (maxResponseSize == null) {
			maxResponseSize = DataSize.ofMegabytes(16);
		}
		if (maxResponseSize.toBytes() < 1024 || maxResponseSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("hub.tailscale.max-response-size must be between 1KB and 2GB");
		}
	}

	/** Whether credentials are configured. */
	public boolean configured() {
		return credentialKind() != CredentialKind.NONE;
	}

	/** Which credential is configured (an API token wins over an OAuth client). */
	public CredentialKind credentialKind() {
		if (StringUtils.hasText(this.apiKey)) {
			return CredentialKind.API_KEY;
		}
		if (StringUtils.hasText(this.oauthClientId) && StringUtils.hasText(this.oauthClientSecret)) {
			return CredentialKind.OAUTH_CLIENT;
		}
		return CredentialKind.NONE;
	}

	// Secrets never reach a log through this record.
	@Override
	public String toString() {
		return "TailscaleProperties[apiUrl=" + this.apiUrl + ", tailnet=" + this.tailnet + ", credential="
				+ credentialKind() + ", oauthClientId=" + this.oauthClientId + ", defaultTags=" + this.defaultTags
				+ "]";
	}

	/** The kinds of credential. */
	public enum CredentialKind {

		/** An API access token. */
		API_KEY("api-key"),
		/** An OAuth client (client-credentials grant). */
		OAUTH_CLIENT("oauth-client"),
		/** Nothing configured. */
		NONE("none");

		private final String wire;

		CredentialKind(String wire) {
			this.wire = wire;
		}

		/** The value shown by the status endpoint. */
		public String wire() {
			return this.wire;
		}

	}

}
