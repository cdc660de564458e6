package dev.agenthub.shim.relay;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostPolicyTests {

	@Test
	void shouldAcceptOnlyIpAddressesAndLocalhostLikeChrome() {
		HostPolicy policy = new HostPolicy(List.of());
		assertThat(policy.hostAllowed(null)).isTrue();
		assertThat(policy.hostAllowed("127.0.0.1:9222")).isTrue();
		assertThat(policy.hostAllowed("localhost:9222")).isTrue();
		assertThat(policy.hostAllowed("LOCALHOST")).isTrue();
		assertThat(policy.hostAllowed("[::1]:9222")).isTrue();
		assertThat(policy.hostAllowed("attacker.example:9222")).isFalse();
		assertThat(policy.hostAllowed("127.0.0.1.attacker.example")).isFalse();
	}

	@Test
	void shouldRefuseWebSocketOriginsUnlessAllowed() {
		assertThat(new HostPolicy(List.of()).originAllowed(null)).isTrue();
		assertThat(new HostPolicy(List.of()).originAllowed("http://evil.example")).isFalse();
		assertThat(new HostPolicy(List.of("http://a")).originAllowed("http://a")).isTrue();
		assertThat(new HostPolicy(List.of("*")).originAllowed("http://evil.example")).isTrue();
	}

}
