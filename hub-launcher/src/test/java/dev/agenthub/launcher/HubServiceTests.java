package dev.agenthub.launcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubServiceTests {

	@Test
	void shouldStartEveryServiceInLogFirstOrderByDefault() {
		assertThat(HubService.selected(null)).containsExactly(HubService.BROADCAST, HubService.AGENT,
				HubService.GATEWAY, HubService.INTEGRATION);
		assertThat(HubService.selected(" ")).hasSize(4);
	}

	@Test
	void shouldStartANamedSubsetInStartOrder() {
		assertThat(HubService.selected("gateway, Broadcast")).containsExactly(HubService.BROADCAST, HubService.GATEWAY);
	}

	@Test
	void shouldRefuseUnknownNames() {
		assertThatThrownBy(() -> HubService.selected("gateway,pager")).hasMessageContaining("[pager]");
	}

}
