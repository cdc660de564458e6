package dev.agenthub.integration.shim;

import dev.agenthub.support.auth.HubSecurityConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Opens the shim's read endpoints ({@code GET}/{@code HEAD /api/cdp-shim/**}) so a
 * container can install the shim with plain {@code curl}, while every other
 * {@code /api/**} request keeps the shared token rules. It is an auto-configuration
 * ordered after {@link HubSecurityConfiguration} because the shared chain backs off when
 * any other chain exists; this one only adds a narrower chain in front of it.
 * {@code hub.shim.open-downloads=false} closes them again (then a bearer token is
 * needed).
 */
@AutoConfiguration(after = HubSecurityConfiguration.class)
@ConditionalOnBean(ReleaseStore.class)
@ConditionalOnProperty(name = "hub.shim.open-downloads", havingValue = "true", matchIfMissing = true)
public class ShimDownloadAccessConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain shimDownloadFilterChain(ServerHttpSecurity http) {
		return http
			.securityMatcher(new OrServerWebExchangeMatcher(
					ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/cdp-shim/**"),
					ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, "/api/cdp-shim/**")))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.build();
	}

}
