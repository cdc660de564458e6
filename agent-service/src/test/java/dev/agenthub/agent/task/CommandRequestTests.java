package dev.agenthub.agent.task;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandRequestTests {

	static CommandRequest parse(String json) {
		return CommandRequest.parse(HubJson.parse(json));
	}

	@Test
	void shouldReadAFullRequestAndBuildTheAgentsCommand() {
		CommandRequest request = parse("{\"command\":\"git\",\"args\":[\"pull\",\"--ff-only\"],\"cwd\":\"/w\","
				+ "\"env\":{\"GIT_TERMINAL_PROMPT\":\"0\"},\"timeoutSeconds\":60,\"taskId\":\"k1\"}");
		JsonNode data = request.toAgentData();
		assertThat(data.toString())
			.isEqualTo("{\"taskId\":\"k1\",\"command\":\"git\",\"args\":[\"pull\",\"--ff-only\"],"
					+ "\"cwd\":\"/w\",\"env\":{\"GIT_TERMINAL_PROMPT\":\"0\"},\"timeoutSeconds\":60}");
	}

	@Test
	void shouldGenerateATaskIdAndDefaultToNoArgs() {
		CommandRequest request = parse("{\"command\":\"ls\"}");
		assertThat(request.taskId()).hasSize(36);
		assertThat(request.args()).isEmpty();
		assertThat(request.env()).isEmpty();
		assertThat(request.cwd()).isNull();
	}

	@Test
	void shouldRefuseShellStringsAndBadFieldsNamingThem() {
		assertThatThrownBy(() -> parse("{\"command\":\"ls\",\"args\":\"-la\"}")).isInstanceOf(ContractViolation.class)
			.hasMessageContaining("args must be an array of strings");
		assertThatThrownBy(() -> parse("{\"command\":\"ls\",\"args\":[1]}")).hasMessageContaining("args");
		assertThatThrownBy(() -> parse("{\"command\":\"  \"}")).hasMessageContaining("command must not be blank");
		assertThatThrownBy(() -> parse("{\"command\":\"ls\",\"env\":{\"1A\":\"x\"}}")).hasMessageContaining("1A");
		assertThatThrownBy(() -> parse("{\"command\":\"ls\",\"env\":{\"A\":1}}")).hasMessageContaining("env.A");
		assertThatThrownBy(() -> parse("{\"command\":\"ls\",\"timeoutSeconds\":-1}"))
			.hasMessageContaining("timeoutSeconds");
		assertThatThrownBy(() -> parse("{\"command\":\"ls\",\"taskId\":\"a b\"}")).hasMessageContaining("a b");
		assertThatThrownBy(() -> parse("[]")).hasMessageContaining("JSON object");
	}

}
