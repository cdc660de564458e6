package dev.agenthub.sidecar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SidecarConfigTests {

	@Test
	void shouldUseDefaultsWithJustAWorkspace() {
		SidecarConfig config = SidecarConfig.from(Map.of("HUB_AGENT_WORKSPACE_ID", "w1"), new String[0]);

		assertThat(config.hubUrl()).hasToString("ws://localhost:8081/agent/ws");
		assertThat(config.repoDir()).isEqualTo(Path.of("").toAbsolutePath());
		assertThat(config.gitInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.statsInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.tabs()).isEmpty();
		assertThat(config.version()).isNotBlank();
		assertThat(config.readIdleTimeout()).isNull();
	}

	@Test
	void shouldLetArgumentsOverrideTheEnvironment() {
		SidecarConfig config = SidecarConfig.from(
				Map.of("HUB_AGENT_WORKSPACE_ID", "w1", "HUB_AGENT_URL", "ws://env:1/agent/ws",
						"HUB_AGENT_STATS_INTERVAL", "500ms"),
				new String[] { "--url=ws://arg:2/agent/ws", "--git-interval=2m", "--repo-dir=/tmp",
						"--read-idle-timeout=75s",
						"--tabs=[{\"tabId\":\"t1\",\"command\":\"bash\",\"args\":[\"-l\"]}]" });

		assertThat(config.hubUrl()).hasToString("ws://arg:2/agent/ws");
		assertThat(config.gitInterval()).isEqualTo(Duration.ofMinutes(2));
		assertThat(config.statsInterval()).isEqualTo(Duration.ofMillis(500));
		assertThat(config.readIdleTimeout()).isEqualTo(Duration.ofSeconds(75));
		assertThat(config.repoDir()).isEqualTo(Path.of("/tmp"));
		assertThat(config.tabs()).hasSize(1);
		assertThat(config.tabs().get(0).args()).containsExactly("-l");
	}

	@Test
	void shouldTakeTheWorkspaceFromTheTokenClaim() {
		String payload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"sub\":\"a1\",\"workspace\":\"ws-9\"}".getBytes(StandardCharsets.UTF_8));

		SidecarConfig config = SidecarConfig.from(Map.of("HUB_AGENT_TOKEN", "h." + payload + ".s"), new String[0]);

		assertThat(config.workspaceId()).isEqualTo("ws-9");
		assertThat(config.token()).isEqualTo("h." + payload + ".s");
	}

	@Test
	void shouldExplainBadSettings() {
		assertThatIllegalArgumentException().isThrownBy(() -> SidecarConfig.from(Map.of(), new String[0]))
			.withMessageContaining("HUB_AGENT_WORKSPACE_ID");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SidecarConfig
				.from(Map.of("HUB_AGENT_WORKSPACE_ID", "w", "HUB_AGENT_GIT_INTERVAL", "soon"), new String[0]))
			.withMessageContaining("HUB_AGENT_GIT_INTERVAL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SidecarConfig.from(Map.of("HUB_AGENT_WORKSPACE_ID", "w"), new String[] { "--bogus=1" }))
			.withMessageContaining("unknown argument --bogus=1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SidecarConfig.from(Map.of("HUB_AGENT_WORKSPACE_ID", "w", "HUB_AGENT_TABS", "[{}]"),
					new String[0]))
			.withMessageContaining("tabId and command");
	}

}
