package dev.agenthub.broadcast.log;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerNameTests {

	@Test
	void shouldPreferTheConfiguredName() {
		assertThat(ConsumerName.resolve(" replica-a ", Map.of("HOSTNAME", "pod-1"))).isEqualTo("replica-a");
	}

	@Test
	void shouldTakeTheHostnameVariableWhenNoneIsConfigured() {
		assertThat(ConsumerName.resolve(null, Map.of("HOSTNAME", "broadcast-7f9c-x2"))).isEqualTo("broadcast-7f9c-x2");
		assertThat(ConsumerName.resolve("", Map.of("HOSTNAME", "pod-2"))).isEqualTo("pod-2");
	}

	@Test
	void shouldTellProcessesOfOneHostApartWithoutTheVariable() {
		String name = ConsumerName.resolve(null, Map.of());
		assertThat(name).endsWith("-" + ProcessHandle.current().pid()).doesNotContain("${");
	}

	@Test
	void shouldNeverBeTheUnresolvedPlaceholder() {
		LogProperties properties = new LogProperties("broadcast-log", null, 256, java.time.Duration.ofMillis(20),
				java.time.Duration.ofDays(30), java.time.Duration.ofHours(1));
		assertThat(properties.consumer()).isNotBlank().doesNotContain("${");
	}

}
