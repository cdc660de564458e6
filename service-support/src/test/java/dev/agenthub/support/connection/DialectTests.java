package dev.agenthub.support.connection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.socketio.parser.SioDecoder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DialectTests {

	static final Instant AT = Instant.parse("2026-12-02T04:00:00Z");

	static Publication publication(String type, String json) {
		HubEvent event = new HubEvent(type, "workspace:w1", 7, "e1", HubJson.parse(json), AT);
		return new Publication(event, HubJson.encodeEvent(event));
	}

	/**
	 * The event names the contracts refuse include every name the Socket.IO server cannot
	 * emit (two modules, one list each: neither depends on the other).
	 */
	@Test
	void shouldRefuseEveryEventNameTheSocketIoDialectCannotCarry() {
		for (String reserved : SioDecoder.RESERVED_EVENTS) {
			assertThatExceptionOfType(ContractViolation.class).as(reserved)
				.isThrownBy(() -> EventType.checkName(reserved));
		}
	}

	static JsonNode read(byte[] utf8) {
		return HubJson.parse(new String(utf8, StandardCharsets.UTF_8));
	}

	@Test
	void hubShouldSendTheEventAsPublished() {
		JsonNode event = read(Dialect.HUB.event(publication("tab:output", "{\"tabId\":\"t1\",\"data\":\"hi\"}")));
		assertThat(event.path("type").asString()).isEqualTo("tab:output");
		assertThat(event.path("channel").asString()).isEqualTo("workspace:w1");
		assertThat(event.path("offset").asLong()).isEqualTo(7);
		assertThat(event.path("epoch").asString()).isEqualTo("e1");
	}

	@Test
	void eventShouldWrapEventsAndFlattenMessagesAsSeed003Does() {
		JsonNode event = read(Dialect.EVENT.event(publication("task.statusChanged", "{\"taskId\":\"k\"}")));
		assertThat(event.path("type").asString()).isEqualTo("event");
		assertThat(event.path("event").asString()).isEqualTo("task.statusChanged");
		assertThat(event.path("data").path("taskId").asString()).isEqualTo("k");
		assertThat(event.path("timestamp").asString()).isEqualTo("2026-12-02T04:00:00Z");
		JsonNode sync = read(Dialect.EVENT.message(ServerMessage.of("sync_response", null,
				HubJson.parse("{\"changes\":[],\"syncTimestamp\":\"2026-12-02T04:00:00Z\",\"hasMore\":false}"))));
		assertThat(sync.path("changes").isArray()).isTrue();
		assertThat(sync.path("syncTimestamp").asString()).isEqualTo("2026-12-02T04:00:00Z");
		assertThat(sync.has("data")).isFalse();
		ClientMessage request = Dialect.EVENT.decode("{\"type\":\"sync_request\",\"since\":\"2026-12-01T00:00:00Z\"}");
		assertThat(request.data().path("since").asString()).isEqualTo("2026-12-01T00:00:00Z");
	}

	@Test
	void payloadShouldSendEverythingAsTypePayloadTimestamp() {
		JsonNode event = read(Dialect.PAYLOAD.event(publication("agent:output", "{\"agentId\":\"a\"}")));
		assertThat(event.path("type").asString()).isEqualTo("agent:output");
		assertThat(event.path("payload").path("agentId").asString()).isEqualTo("a");
		assertThat(event.path("timestamp").asString()).isNotEmpty();
		JsonNode reply = read(Dialect.PAYLOAD.message(ServerMessage.of("pong", null, null)));
		assertThat(reply.path("type").asString()).isEqualTo("pong");
		assertThat(reply.path("payload").isObject()).isTrue();
		assertThat(Dialect.PAYLOAD.decode("{\"type\":\"subscribe:workspace\",\"payload\":{\"workspaceId\":\"w1\"}}")
			.data()
			.path("workspaceId")
			.asString()).isEqualTo("w1");
	}

	@Test
	void flatShouldSpeakSeed001sDaemonShapes() {
		JsonNode output = read(Dialect.FLAT
			.event(publication("task:output", "{\"taskId\":\"k\",\"output\":\"hi\",\"isError\":false}")));
		assertThat(output.path("type").asString()).isEqualTo("output");
		assertThat(output.path("taskId").asString()).isEqualTo("k");
		assertThat(output.path("output").asString()).isEqualTo("hi");
		JsonNode command = read(Dialect.FLAT.message(ServerMessage.of("command", null,
				HubJson.parse("{\"taskId\":\"k\",\"command\":\"ls\",\"args\":[\"-la\"],\"cwd\":\"/w\"}"))));
		assertThat(command.path("type").asString()).isEqualTo("command");
		assertThat(command.path("args").get(0).asString()).isEqualTo("-la");
		assertThat(command.has("data")).isFalse();
		ClientMessage auth = Dialect.FLAT.decode("{\"type\":\"auth\",\"daemonId\":\"d1\",\"authToken\":\"tok\"}");
		assertThat(auth.requireText("token")).isEqualTo("tok");
		ClientMessage status = Dialect.FLAT.decode("{\"type\":\"status\",\"taskId\":\"k\",\"status\":\"completed\"}");
		assertThat(status.data().path("status").asString()).isEqualTo("completed");
	}

	@Test
	void flatShouldLoseNoFieldOfAnEvent() {
		// terminal text is a field named data: it was dropped (the envelope's names were
		// skipped), so a seed 001 web app got {"type":"tab:output","tabId":"t1"}
		JsonNode tab = read(Dialect.FLAT.event(publication("tab:output", "{\"tabId\":\"t1\",\"data\":\"hello\\n\"}")));
		assertThat(tab.path("tabId").asString()).isEqualTo("t1");
		assertThat(tab.path("data").asString()).isEqualTo("hello\n");
		// an event has no envelope id: the event's own id stands at the top level
		JsonNode agent = read(Dialect.FLAT
			.event(publication("agent:output", "{\"id\":\"m1\",\"data\":\"x\",\"payload\":{\"k\":1}}")));
		assertThat(agent.path("type").asString()).isEqualTo("agent:output");
		assertThat(agent.path("id").asString()).isEqualTo("m1");
		assertThat(agent.path("data").asString()).isEqualTo("x");
		assertThat(agent.path("payload").path("k").asInt()).isEqualTo(1);
		// a field that would take the envelope's place: the data whole under "data"
		JsonNode typed = read(
				Dialect.FLAT.event(publication("workspace:updated", "{\"type\":\"rename\",\"name\":\"n\"}")));
		assertThat(typed.path("type").asString()).isEqualTo("workspace:updated");
		assertThat(typed.path("data").path("type").asString()).isEqualTo("rename");
		assertThat(typed.path("data").path("name").asString()).isEqualTo("n");
		JsonNode reply = read(
				Dialect.FLAT.message(ServerMessage.of("result", IntNode.valueOf(4), HubJson.parse("{\"id\":\"r\"}"))));
		assertThat(reply.path("id").asInt()).isEqualTo(4);
		assertThat(reply.path("data").path("id").asString()).isEqualTo("r");
	}

	@Test
	void flatShouldReadAFieldNamedDataThatIsNotAnEnvelope() {
		// a flat agent's terminal output: refused before ("data must be a JSON object")
		ClientMessage tab = Dialect.FLAT.decode("{\"type\":\"tab:output\",\"tabId\":\"t1\",\"data\":\"hello\\n\"}");
		assertThat(tab.data().path("tabId").asString()).isEqualTo("t1");
		assertThat(tab.data().path("data").asString()).isEqualTo("hello\n");
		// the hub's own shape still reads as it did
		ClientMessage hub = Dialect.FLAT
			.decode("{\"type\":\"subscribe\",\"id\":2,\"data\":{\"channel\":\"workspace:w1\"}}");
		assertThat(hub.requireText("channel")).isEqualTo("workspace:w1");
		assertThat(hub.id().asInt()).isEqualTo(2);
	}

	@Test
	void aRepliesIdShouldSurviveEveryDialect() {
		for (Dialect dialect : Dialect.values()) {
			JsonNode reply = read(dialect.message(ServerMessage.of("pong", IntNode.valueOf(3), null)));
			assertThat(reply.path("id").asInt()).as(dialect.name()).isEqualTo(3);
		}
	}

	@Test
	void anUnknownDialectShouldBeRefusedByName() {
		assertThatExceptionOfType(ContractViolation.class).isThrownBy(() -> Dialect.named("klingon", Dialect.HUB))
			.withMessageContaining("klingon");
		assertThat(Dialect.named(null, Dialect.FLAT)).isEqualTo(Dialect.FLAT);
		assertThat(Dialect.named("Event", Dialect.HUB)).isEqualTo(Dialect.EVENT);
	}

	@Test
	void malformedFramesShouldBeAClearErrorInEveryDialect() {
		for (Dialect dialect : Dialect.values()) {
			assertThatExceptionOfType(ContractViolation.class).as(dialect.name())
				.isThrownBy(() -> dialect.decode("{\"no\":\"type\"}"));
			assertThatExceptionOfType(ContractViolation.class).as(dialect.name())
				.isThrownBy(() -> dialect.decode("[1,2"));
		}
	}

}
