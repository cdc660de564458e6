package dev.agenthub.support.cors;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Installs {@link HubCorsFilter} for every path of the service. It runs before Spring
 * Security's filter chain, so a preflight (which carries no token) is answered without
 * authentication, and an answer the security chain or a handler writes — a 401, the
 * Socket.IO transport's polling responses — carries the CORS headers too.
 */
@AutoConfiguration
@EnableConfigurationProperties(HubCorsProperties.class)
@ConditionalOnProperty(name = "hub.cors.enabled", havingValue = "true", matchIfMissing = true)
public class HubCorsConfiguration {

	@Bean
	HubCorsFilter hubCorsFilter(HubCorsProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", corsConfiguration(properties));
		return new HubCorsFilter(source);
	}

	/** The one CORS policy of a service, as Spring's {@link CorsConfiguration}. */
	public static CorsConfiguration corsConfiguration(HubCorsProperties properties) {
		CorsConfiguration cors = new CorsConfiguration();
		List<String> origins = new ArrayList<>();
		List<String> patterns = new ArrayList<>();
		for (String origin : properties.allowedOrigins()) {
			if (origin.equals(CorsConfiguration.ALL) || !origin.contains("*")) {
				origins.add(origin);
			}
			else {
				patterns.add(origin);
			}
		}
		if (origins.contains(CorsConfiguration.ALL)) {
			origins = List.of(CorsConfiguration.ALL);
			patterns.clear();
		}
		cors.setAllowedOrigins(origins);
		cors.setAllowedOriginPatterns(patterns.isEmpty() ? null : patterns);
		cors.setAllowedMethods(properties.allowedMethods());
		cors.setAllowedHeaders(properties.allowedHeaders());
		cors.setExposedHeaders(properties.exposedHeaders());
		// bearer tokens only: never cookies, so never credentials
		cors.setAllowCredentials(false);
		cors.setMaxAge(properties.maxAge());
		return cors;
	}

	/**
	 * Spring's {@link CorsWebFilter}, ordered in front of the security filter chain
	 * (order -100).
	 */
	public static final class HubCorsFilter extends CorsWebFilter implements Ordered {

		/** Before Spring Security's {@code WebFilterChainProxy} (-100). */
		public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

		HubCorsFilter(UrlBasedCorsConfigurationSource source) {
			super(source);
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

	}

}
