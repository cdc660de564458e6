package dev.agenthub.integration.provision;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What provisioning hands a new container ({@code hub.provision.*}).
 *
 * @param agentServiceUrl agent-service's base URL as a container reaches it
 * ({@code HUB_PROVISION_AGENT_SERVICE_URL}): Socket.IO agents connect to
 * {@code <url>/agent} ({@code SESSION_HUB_URL}), raw agents to {@code ws(s)://…/agent/ws}
 * ({@code HUB_AGENT_URL})
 * @param publicUrl this service's base URL as a container reaches it, for the shim's
 * download URL ({@code HUB_PROVISION_PUBLIC_URL})
 * @param agentTokenTtl the lifetime of the agent token handed out
 * @param chromePath where the container installs the shim ({@code CHROME_PATH})
 * @param cdpHost the host of the real Chrome ({@code CDP_HOST}), e.g. its Tailscale name
 * @param cdpPort its DevTools port ({@code CDP_PORT})
 * @param agentServiceInternalUrl agent-service's base URL as this service reaches it, to
 * reserve agent ids ({@code HUB_PROVISION_AGENT_SERVICE_INTERNAL_URL}; unset:
 * {@code agentServiceUrl})
 */
@Validated
@ConfigurationProperties("hub.provision")
public record ProvisionProperties(@DefaultValue("http://localhost:8081") @NotNull URI agentServiceUrl,
		@DefaultValue("http://localhost:8083") @NotNull URI publicUrl,
		@DefaultValue("24h") @NotNull Duration agentTokenTtl,
		@DefaultValue("/usr/local/bin/chromium") @NotBlank String chromePath,
		@DefaultValue("localhost") @NotBlank String cdpHost, @DefaultValue("9222") @Min(1) @Max(65535) int cdpPort,
		URI agentServiceInternalUrl) {

	public ProvisionProperties {
		if (agentTokenTtl != null && (agentTokenTtl.isNegative() || agentTokenTtl.isZero())) {
			throw new IllegalArgumentException("hub.provision.agent-token-ttl must be positive");
		}
		if (agentServiceInternalUrl == null) {
			agentServiceInternalUrl = agentServiceUrl;
		}
	}

	/** {@code SESSION_HUB_URL}: the base URL without a trailing slash. */
	String sessionHubUrl() {
		return trim(this.agentServiceUrl.toString());
	}

	/** {@code HUB_AGENT_URL}: the raw agent WebSocket. */
	String agentWebSocketUrl() {
		String base = sessionHubUrl();
		if (base.startsWith("https://")) {
			return "wss://" + base.substring("https://".length()) + "/agent/ws";
		}
		if (base.startsWith("http://")) {
			return "ws://" + base.substring("http://".length()) + "/agent/ws";
		}
		return base + "/agent/ws";
	}

	/**
	 * The pinned download URL of a shim release. The version is form-encoded: the
	 * {@code +} of build metadata ({@code 0.2.0+build.7}) would otherwise reach the
	 * server as a space.
	 */
	String shimUrl(String version) {
		return trim(this.publicUrl.toString()) + "/api/cdp-shim/bundle?version="
				+ URLEncoder.encode(version, StandardCharsets.UTF_8);
	}

	private static String trim(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
