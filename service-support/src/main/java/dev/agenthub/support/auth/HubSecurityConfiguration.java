package dev.agenthub.support.auth;

import java.util.ArrayList;
import java.util.Collection;

import javax.crypto.spec.SecretKeySpec;

import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.web.ApiError;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Token verification for every hub service: one {@link ReactiveJwtDecoder} (an issuer's
 * JWKS when configured, fetched through a {@link ThrottledJwkSource}, else the HS256
 * secret; either way {@link HubTokenValidators}: expiry required, issuer and audience
 * when configured), a {@link HubTokenVerifier} for sockets, and a filter chain in which
 * {@code /api/**} needs a bearer token, while health, metrics and the socket endpoints
 * (which authenticate themselves) are open.
 */
@AutoConfiguration
@EnableWebFluxSecurity
@EnableConfigurationProperties(HubAuthProperties.class)
public class HubSecurityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveJwtDecoder hubJwtDecoder(HubAuthProperties properties) {
		if (!properties.usesJwks()) {
			return secretKeyDecoder(DevSecret.resolve(properties), properties);
		}
		ThrottledJwkSource keys = new ThrottledJwkSource(WebClient.create(), properties.jwkSetUri(),
				properties.jwksRefetchInterval());
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(keys)
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.jwsAlgorithm(SignatureAlgorithm.ES256)
			.build();
		decoder.setJwtValidator(HubTokenValidators.of(properties));
		return decoder;
	}

	/**
	 * A decoder of HS256 tokens signed with {@code secret}, validated as every hub token
	 * is (expiry, issuer, audience).
	 * @param secret the HS256 secret
	 * @param properties the hub's token settings
	 * @return the decoder
	 */
	static ReactiveJwtDecoder secretKeyDecoder(byte[] secret, HubAuthProperties properties) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
			.macAlgorithm(MacAlgorithm.HS256)
			.build();
		decoder.setJwtValidator(HubTokenValidators.of(properties));
		return decoder;
	}

	@Bean
	@ConditionalOnMissingBean
	HubTokenVerifier hubTokenVerifier(ReactiveJwtDecoder decoder, WarmUpPass warmUp) {
		return new HubTokenVerifier(decoder, warmUp);
	}

	@Bean
	@ConditionalOnMissingBean
	WarmUpPass warmUpPass(HubAuthProperties properties) {
		return new WarmUpPass(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceTokenSource serviceTokenSource(HubAuthProperties properties,
			@Value("${hub.auth.service-token:}") String configured,
			@Value("${spring.application.name:hub}") String name) {
		return ServiceTokenSource.of(configured, name, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityWebFilterChain hubSecurityFilterChain(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.authorizeExchange((exchanges) -> exchanges.pathMatchers(HttpMethod.OPTIONS)
				.permitAll()
				// seed 001's WebSocket ingress: the connection core authenticates it
				// (token
				// in the query or a first auth message), like /ws and /agent/ws
				.pathMatchers("/api/ws")
				.permitAll()
				.pathMatchers("/api/**")
				.authenticated()
				.anyExchange()
				.permitAll())
			.oauth2ResourceServer((server) -> server
				.jwt((jwt) -> jwt.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(roles())))
				.authenticationEntryPoint((exchange, ex) -> writeError(exchange, HttpStatus.UNAUTHORIZED,
						ErrorCode.UNAUTHORIZED, "a valid bearer token is required: " + ex.getMessage()))
				.accessDeniedHandler((exchange, ex) -> writeError(exchange, HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
						ex.getMessage())))
			.build();
	}

	private static Converter<Jwt, AbstractAuthenticationToken> roles() {
		return (jwt) -> {
			Collection<GrantedAuthority> authorities = new ArrayList<>();
			for (Role role : HubPrincipal.from(jwt).roles()) {
				authorities.add(new SimpleGrantedAuthority(role.authority()));
			}
			return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
		};
	}

	private static Mono<Void> writeError(ServerWebExchange exchange, HttpStatus status, ErrorCode code,
			String message) {
		exchange.getResponse().setStatusCode(status);
		return ApiError.write(exchange.getResponse(), code, message);
	}

}
