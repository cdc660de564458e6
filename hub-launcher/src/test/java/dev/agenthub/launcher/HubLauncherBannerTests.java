package dev.agenthub.launcher;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class HubLauncherBannerTests {

	/**
	 * With HUB_*_PORT set to 9180-9183, the banner's health line said
	 * {@code http://localhost:{8080..8083}/actuator/health}: the defaults, not the ports.
	 */
	@Test
	void shouldPrintTheHealthUrlsOfThePortsTheServicesRunOn() {
		Map<HubService, Integer> ports = new EnumMap<>(HubService.class);
		ports.put(HubService.GATEWAY, 9180);
		ports.put(HubService.AGENT, 9181);
		ports.put(HubService.BROADCAST, 9182);
		ports.put(HubService.INTEGRATION, 9183);
		String banner = HubLauncher.banner(new StandardEnvironment(), ports, Map.of());
		assertThat(banner).contains("health        http://localhost:{9180,9181,9182,9183}/actuator/health\n")
			.doesNotContain("8080")
			.doesNotContain("8083");
	}

}
