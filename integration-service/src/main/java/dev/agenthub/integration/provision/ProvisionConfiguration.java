package dev.agenthub.integration.provision;

import dev.agenthub.integration.shim.ReleaseStore;
import dev.agenthub.integration.shim.Releases;
import dev.agenthub.integration.tailscale.TailscaleProperties;
import dev.agenthub.integration.tailscale.TailscaleService;
import dev.agenthub.support.auth.AgentTokens;
import dev.agenthub.support.auth.HubAuthProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the {@link Provisioner} from the Tailscale client, the shim registry and the auth
 * secret.
 */
@Configuration(proxyBeanMethods = false)
class ProvisionConfiguration {

	@Bean
	Provisioner provisioner(ProvisionProperties properties, TailscaleService tailscale,
			TailscaleProperties tailscaleProperties, HubAuthProperties auth, ReleaseStore store) {
		return new Provisioner(properties, tailscale, tailscaleProperties.configured(), AgentTokens.from(auth),
				new Releases(store));
	}

}
