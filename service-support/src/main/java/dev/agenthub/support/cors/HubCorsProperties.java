package dev.agenthub.support.cors;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * Cross-origin access ({@code hub.cors.*}). The hub authenticates by bearer token, never
 * by cookie, so credentials are never allowed and {@code *} is a safe default: a page of
 * another origin gains nothing it could not do with the token it already holds.
 *
 * @param enabled whether the filter is installed ({@code HUB_CORS_ENABLED})
 * @param allowedOrigins origins allowed to call the hub from a browser
 * ({@code HUB_CORS_ALLOWED_ORIGINS}, comma-separated): {@code *} for any, exact origins
 * ({@code https://app.example.com}) or patterns ({@code https://*.example.com})
 * @param allowedMethods methods a preflight may ask for
 * @param allowedHeaders request headers a preflight may ask for ({@code *}: any)
 * @param exposedHeaders response headers a page may read
 * @param maxAge how long a browser may cache a preflight's answer
 */
@ConfigurationProperties("hub.cors")
public record HubCorsProperties(@DefaultValue("true") boolean enabled, @DefaultValue("*") List<String> allowedOrigins,
		@DefaultValue( {
				"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }) List<String> allowedMethods,
		@DefaultValue("*") List<String> allowedHeaders, @DefaultValue({ "ETag", "Digest", "Repr-Digest",
				"Content-Disposition", "Location" }) List<String> exposedHeaders,
		@DefaultValue("1h") Duration maxAge){

	public HubCorsProperties {
		allowedOrigins = clean(allowedOrigins);
		allowedMethods = clean(allowedMethods);
		allowedHeaders = clean(allowedHeaders);
		exposedHeaders = clean(exposedHeaders);
		if (maxAge == null || maxAge.isNegative()) {
			throw new IllegalArgumentException("hub.cors.max-age must not be negative");
		}
	}

	private static List<String> clean(List<String> values) {
		return (values != null) ? values.stream().filter(StringUtils::hasText).map(String::trim).toList() : List.of();
	}

}
