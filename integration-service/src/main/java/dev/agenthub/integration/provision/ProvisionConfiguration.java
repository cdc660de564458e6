package dev.agenthub.integration.provision;

import dev.agenthub.integration.shim.ReleaseStore;
import dev.agenthub.integration.shim.Releases;
import dev.agenthub.integration.tailscale.TailscaleProperties;
import dev.agenthub.integration.tailscale.TailscaleService;
import dev.agenthub.support.auth.AgentTokens;
import dev.agenthub.support.auth.ServiceTokenSource;
import dev.agenthub.support.auth.HubAuthProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Wires the {@link Provisioner} from the Tailscale client, the shim registry and the auth
 * secret.
 */
@Configuration(proxyBeanMethods = false)
class ProvisionConfiguration {

	@Bean
	Provisioner provisioner(ProvisionProperties properties, TailscaleService tailscale,
			TailscaleProperties tailscaleProperties, HubAuthProperties auth, ReleaseStore store,
			WebClient.Builder webClient, ServiceTokenSource serviceTokens) {
		return new Provisioner(properties, tailscale, tailscaleProperties.configured(), AgentTokens.from(auth),
				new Releases(store), new AgentIdReservations(
						webClient.baseUrl(properties.agentServiceInternalUrl().toString()).build(), serviceTokens));
	}

}
