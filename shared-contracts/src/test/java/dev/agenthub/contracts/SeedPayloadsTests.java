package dev.agenthub.contracts;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.StartupProgress;
import dev.agenthub.contracts.event.WorkspaceState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seed 000's payloads as its backends send them pass validation unchanged.
 */
class SeedPayloadsTests {

	@Test
	void shouldAcceptTheContainerShapedWorkspaceState() {
		WorkspaceState state = (WorkspaceState) HubJson.validate("workspace:state", HubJson.parse(
				"{\"workspaceId\":\"w1\",\"containerId\":\"c-9\",\"containerStatus\":\"running\",\"containerIp\":\"10.0.0.7\"}"));
		assertThat(state.containerStatus()).isEqualTo("running");
		assertThat(state.containerIp()).isEqualTo("10.0.0.7");
		assertThat(state.agentConnected()).isNull();
		// a container that is gone: the seed sends explicit nulls
		assertThat(HubJson.validate("workspace:state", HubJson.parse(
				"{\"workspaceId\":\"w1\",\"containerId\":null,\"containerStatus\":\"stopped\",\"containerIp\":null}")))
			.isNotNull();
		// the seed's broadcastAgentConnected shape
		assertThat(HubJson.validate("workspace:state",
				HubJson.parse("{\"workspaceId\":\"w1\",\"agentConnected\":true,\"agentVersion\":\"2.1.0\"}")))
			.isNotNull();
	}

	@Test
	void shouldStillRefuseAWorkspaceStateThatSaysNothing() {
		assertThatThrownBy(() -> HubJson.validate("workspace:state", HubJson.parse("{\"workspaceId\":\"w1\"}")))
			.isInstanceOf(ContractViolation.class)
			.hasMessageContaining("needs agentConnected, status, containerId or containerStatus");
		assertThatThrownBy(
				() -> HubJson.validate("workspace:state", HubJson.parse("{\"containerStatus\":\"running\"}")))
			.hasMessageContaining("workspaceId is required");
		assertThatThrownBy(() -> HubJson.validate("workspace:state",
				HubJson.parse("{\"workspaceId\":\"w1\",\"containerStatus\":\"" + "x".repeat(300) + "\"}")))
			.hasMessageContaining("containerStatus is longer than 256");
	}

	@Test
	void shouldAcceptABackendsStartupProgress() {
		StartupProgress progress = (StartupProgress) HubJson.validate("startup:progress", HubJson
			.parse("{\"workspaceId\":\"w1\",\"step\":\"cloning\",\"progress\":40,\"message\":\"Cloning acme/web\"}"));
		assertThat(progress.progress().intValue()).isEqualTo(40);
		assertThat(progress.workspaceId()).isEqualTo("w1");
		assertThat(HubJson.validate("startup:progress", HubJson.parse("{\"workspaceId\":\"w1\",\"message\":\"go\"}")))
			.isNotNull();
		assertThatThrownBy(() -> HubJson.validate("startup:progress", HubJson.parse("{\"workspaceId\":\"w1\"}")))
			.hasMessageContaining("needs step, percent, progress or message");
		assertThatThrownBy(() -> HubJson.validate("startup:progress", HubJson.parse("{\"progress\":140}")))
			.hasMessageContaining("progress must be between 0 and 100");
	}

	@Test
	void shouldKeepTheAgentShapesAsTheyWere() {
		WorkspaceState state = new WorkspaceState("w1", true, "1.0.0", "connected", null);
		assertThat(HubJson.tree(state).toString()).isEqualTo(
				"{\"workspaceId\":\"w1\",\"agentConnected\":true,\"agentVersion\":\"1.0.0\",\"status\":\"connected\"}");
		assertThat(HubJson.tree(new StartupProgress("clone", 10, null)).toString())
			.isEqualTo("{\"step\":\"clone\",\"percent\":10}");
	}

}
