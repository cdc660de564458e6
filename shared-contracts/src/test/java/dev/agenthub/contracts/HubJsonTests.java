package dev.agenthub.contracts;

import java.time.Instant;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.contracts.event.TabOutput;
import dev.agenthub.contracts.event.TaskStatus;
import dev.agenthub.contracts.event.WorkspaceState;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubJsonTests {

	@Test
	void shouldEncodeEventsInTheWireShapeAndDecodeThemBack() {
		HubEvent event = new HubEvent("tab:output", "workspace:w1", 17, "e1",
				HubJson.tree(new TabOutput("t1", "hello\n", null)), Instant.parse("2026-01-02T03:04:05.123Z"));
		String json = HubJson.encodeEvent(event);
		assertThat(json).isEqualTo("{\"type\":\"tab:output\",\"channel\":\"workspace:w1\",\"offset\":17,"
				+ "\"epoch\":\"e1\",\"data\":{\"tabId\":\"t1\",\"data\":\"hello\\n\",\"stream\":null},"
				+ "\"timestamp\":\"2026-01-02T03:04:05.123Z\"}");
		assertThat(HubJson.decodeEvent(json)).isEqualTo(event);
	}

	@Test
	void shouldRoundTripEveryTypedPayloadOfTheCatalogue() {
		assertThat(HubJson.validate("tab:output",
				HubJson.parse("{\"tabId\":\"t1\",\"data\":\"x\",\"stream\":\"stderr\"}")))
			.isEqualTo(new TabOutput("t1", "x", "stderr"));
		assertThat(HubJson.validate("task:status",
				HubJson.parse("{\"taskId\":\"k\",\"status\":\"completed\",\"exitCode\":0}")))
			.isEqualTo(new TaskStatus("k", "completed", 0, null));
		WorkspaceState state = new WorkspaceState("w1", true, "1.0.0", "connected", null);
		JsonNode tree = HubJson.tree(state);
		assertThat(tree.has("lifecycle")).isFalse();
		assertThat(HubJson.validate("workspace:state", tree)).isEqualTo(state);
		String[][] samples = { { "tab:started", "{\"tabId\":\"t\",\"command\":\"bash\"}" },
				{ "tab:stopped", "{\"tabId\":\"t\",\"exitCode\":0}" },
				{ "git:status", "{\"branch\":\"main\",\"ahead\":1,\"behind\":0,\"files\":[{\"path\":\"a\"}]}" },
				{ "stats", "{\"cpu\":12.5,\"memory\":40,\"disk\":{\"usedBytes\":1}}" },
				{ "tailscale:status", "{\"ip\":\"100.64.0.1\",\"hostname\":\"h\",\"online\":true}" },
				{ "startup:progress", "{\"step\":\"clone\",\"percent\":50,\"message\":\"m\"}" },
				{ "task:output", "{\"taskId\":\"k\",\"output\":\"o\",\"isError\":false}" },
				{ "agent_status", "{\"agentName\":\"a\",\"state\":\"working\",\"progress\":5}" },
				{ "chat_message",
						"{\"conversationId\":\"c\",\"messageId\":\"m\",\"content\":\"hi\",\"sender\":\"u\"}" },
				{ "notification", "{\"level\":\"info\",\"message\":\"hi\"}" },
				{ "user_presence", "{\"userId\":\"u\",\"status\":\"away\"}" } };
		for (String[] sample : samples) {
			Object payload = HubJson.validate(sample[0], HubJson.parse(sample[1]));
			assertThat(payload).as(sample[0]).isNotNull();
			assertThat(HubJson.validate(sample[0], HubJson.tree(payload))).as(sample[0]).isEqualTo(payload);
		}
		for (EventType type : EventType.values()) {
			assertThat(EventType.of(type.wireName())).isSameAs(type);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "tab:output|{\"data\":\"x\"}|tab:output: tabId is required",
					"tab:output|{\"tabId\":\"t\"}|tab:output: data is required",
					"tab:output|{\"tabId\":\"t\",\"data\":\"x\",\"stream\":\"stdin\"}|stream must be one of",
					"task:status|{\"taskId\":\"k\",\"status\":\"done\"}|status must be one of",
					"startup:progress|{\"step\":\"s\",\"percent\":101}|percent must be between 0 and 100 but was 101",
					"git:status|{\"branch\":\"b\",\"ahead\":-1,\"behind\":0}|ahead must not be negative",
					"notification|{\"level\":\"loud\",\"message\":\"m\"}|level must be one of",
					"tab:output|[1]|tab:output: data must be a JSON object", "bad type!|{}|is not a valid event name",
					"connect|{}|reserved by Socket.IO", "disconnect|{}|reserved by Socket.IO" })
	void shouldRejectInvalidPayloadsNamingTheField(String type, String json, String message) {
		assertThatThrownBy(() -> HubJson.validate(type, HubJson.parse(json))).isInstanceOf(ContractViolation.class)
			.hasMessageContaining(message);
	}

	@Test
	void shouldAcceptFreeFormObjectsForUntypedAndEntityEvents() {
		assertThat(HubJson.validate("container:status", HubJson.parse("{\"x\":1}"))).isNull();
		assertThat(HubJson.validate("task.statusChanged", HubJson.parse("{\"id\":\"k\"}"))).isNull();
	}

	@Test
	void shouldParseClientMessagesWithDataOrPayload() {
		ClientMessage message = ClientMessage
			.parse("{\"type\":\"subscribe\",\"id\":7,\"data\":{\"channel\":\"broadcast\"}}");
		assertThat(message.type()).isEqualTo("subscribe");
		assertThat(message.id().asInt()).isEqualTo(7);
		assertThat(message.requireText("channel")).isEqualTo("broadcast");
		ClientMessage seed004 = ClientMessage
			.parse("{\"type\":\"subscribe:workspace\",\"payload\":{\"workspaceId\":\"w1\"}}");
		assertThat(seed004.requireText("workspaceId")).isEqualTo("w1");
		assertThat(seed004.id()).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{|malformed JSON", "[]|must be a JSON object",
			"{\"data\":{}}|needs a string 'type'", "{\"type\":5}|needs a string 'type'" })
	void shouldRejectMalformedFramesPrecisely(String frame, String message) {
		assertThatThrownBy(() -> ClientMessage.parse(frame)).isInstanceOf(ContractViolation.class)
			.hasMessageContaining(message);
	}

	@Test
	void shouldNameMissingFieldsOfClientMessages() {
		ClientMessage message = ClientMessage.parse("{\"type\":\"subscribe\",\"data\":{}}");
		assertThatThrownBy(() -> message.requireText("channel"))
			.hasMessage("subscribe: data.channel is required (a string)");
	}

	@Test
	void shouldEncodeErrorsInTheCataloguedShape() {
		String json = ServerMessage.error(ErrorCode.FORBIDDEN, "no", null).encode();
		JsonNode tree = HubJson.parse(json);
		assertThat(tree.get("type").asString()).isEqualTo("error");
		assertThat(tree.get("data").get("code").asString()).isEqualTo("forbidden");
		assertThat(tree.get("data").get("error").asString()).isEqualTo("no");
		assertThat(tree.has("id")).isFalse();
		assertThat(tree.get("timestamp").asString()).endsWith("Z");
	}

}
