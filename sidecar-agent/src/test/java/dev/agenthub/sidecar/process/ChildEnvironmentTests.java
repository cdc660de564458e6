package dev.agenthub.sidecar.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildEnvironmentTests {

	private static final Map<String, String> SIDECAR_ENV = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/agent",
			"LC_ALL", "C.UTF-8", "TZ", "UTC", "HUB_AGENT_TOKEN", "eyJ.secret.token", "HUB_AGENT_URL",
			"ws://hub/agent/ws", "AWS_SECRET_ACCESS_KEY", "aws-secret", "JAVA_TOOL_OPTIONS", "-Dx=y");

	@Test
	void shouldPassOnlyTheAllowListAndTheRequestsOwnVariablesToAChild() throws Exception {
		String printed = printenv(Map.of("GREETING", "hello"));
		assertThat(printed).contains("PATH=/usr/bin:/bin", "HOME=/home/agent", "LC_ALL=C.UTF-8", "TZ=UTC",
				"GREETING=hello");
		assertThat(printed).doesNotContain("eyJ.secret.token", "HUB_AGENT", "aws-secret", "JAVA_TOOL_OPTIONS");
	}

	@Test
	void shouldLetTheRequestOverrideAnInheritedVariable() throws Exception {
		assertThat(printenv(Map.of("TZ", "Europe/Paris"))).contains("TZ=Europe/Paris").doesNotContain("TZ=UTC");
	}

	@Test
	void shouldStartWithTheAllowListWhenTheRequestNamesNoVariables() {
		ProcessBuilder builder = ChildEnvironment.apply(new ProcessBuilder("true"), SIDECAR_ENV, null);
		assertThat(builder.environment()).containsOnlyKeys("PATH", "HOME", "LC_ALL", "TZ");
	}

	private static String printenv(Map<String, String> requested) throws IOException, InterruptedException {
		Process process = ChildEnvironment.apply(new ProcessBuilder("/usr/bin/env"), SIDECAR_ENV, requested).start();
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
		return printed;
	}

}
