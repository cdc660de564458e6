package dev.agenthub.gateway.warmup;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet's gateways warm up unless told not to; a single node does not unless told to.
 */
class WarmUpPropertiesTests {

	static WarmUpProperties connections(Integer connections) {
		return new WarmUpProperties(connections, 16, 20, Duration.ofSeconds(60));
	}

	@Test
	void shouldWarmUpOnASharedEngineByDefaultOnly() {
		assertThat(connections(null).connectionsFor("redis")).isEqualTo(WarmUpProperties.FLEET_CONNECTIONS);
		assertThat(connections(null).connectionsFor("redis-cluster")).isEqualTo(WarmUpProperties.FLEET_CONNECTIONS);
		assertThat(connections(null).connectionsFor("memory")).isZero();
	}

	@Test
	void shouldDoAsConfigured() {
		assertThat(connections(0).connectionsFor("redis")).isZero();
		assertThat(connections(50).connectionsFor("memory")).isEqualTo(50);
		assertThat(connections(-3).connectionsFor("redis")).isZero();
	}

}
