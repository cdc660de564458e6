package dev.agenthub.socketio.parser;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.agenthub.socketio.engine.EioFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SioParserTests {

	@Test
	void shouldDecodeTheSpecExamples() {
		assertThat(SioDecoder.decode("0", 8))
			.isEqualTo(new SioInboundPacket(SioPacketType.CONNECT, "/", null, null, 0, 1));
		SioInboundPacket admin = SioDecoder.decode("0/admin,{\"token\":\"123\"}", 8);
		assertThat(admin.namespace()).isEqualTo("/admin");
		assertThat(admin.data().get("token").asString()).isEqualTo("123");
		assertThat(SioDecoder.decode("0/admin", 8).namespace()).isEqualTo("/admin");
		assertThat(SioDecoder.decode("1/admin,", 8).type()).isEqualTo(SioPacketType.DISCONNECT);
		SioInboundPacket event = SioDecoder.decode("2/admin,13[\"foo\"]", 8);
		assertThat(event.namespace()).isEqualTo("/admin");
		assertThat(event.id()).isEqualTo(13L);
		assertThat(event.data().toString()).isEqualTo("[\"foo\"]");
		assertThat(SioDecoder.decode("312[]", 8).id()).isEqualTo(12L);
		SioInboundPacket binary = SioDecoder
			.decode("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0}," + "{\"_placeholder\":true,\"num\":1}]", 8);
		assertThat(binary.attachments()).isEqualTo(2);
		assertThat(binary.namespace()).isEqualTo("/admin");
		assertThat(SioDecoder.decode("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", 8).id()).isEqualTo(15L);
		assertThat(SioDecoder.decode("2[42,1]", 8).data().get(0).asInt()).isEqualTo(42);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "7", "a", "2", "2{}", "2[]", "2[\"connect\"]", "2[\"connect_error\"]",
			"2[\"disconnect\"]", "2[\"disconnecting\"]", "2[\"newListener\"]", "2[\"removeListener\"]", "2[true]",
			"2[\"a\"]x", "2abc[\"a\"]", "3[1]", "3{}", "4{\"message\":\"x\"}", "1{}", "0[]", "5[\"a\"]", "5x-[\"a\"]",
			"5-[\"a\"]", "599-[\"a\"]", "21234567890123456[\"a\"]" })
	void shouldRefuseMalformedPackets(String packet) {
		assertThatExceptionOfType(SioParseException.class).isThrownBy(() -> SioDecoder.decode(packet, 8));
	}

	@Test
	void shouldEncodeCompactJsonKeepingKeyOrder() {
		JsonNode data = SioJson.parse("{\"z\":1,\"a\":{\"y\":[1,2],\"b\":null}}");
		List<EioFrame> frames = SioEncoder.encode(SioPacketType.EVENT, "/", null, SioEncoder.eventPayload("e", data));
		assertThat(frames).hasSize(1);
		assertThat(frames.get(0).toString()).isEqualTo("42[\"e\",{\"z\":1,\"a\":{\"y\":[1,2],\"b\":null}}]");
		assertThat(SioEncoder.encode(SioPacketType.ACK, "/admin", 13L, SioEncoder.ackPayload()).get(0).toString())
			.isEqualTo("43/admin,13[]");
		assertThat(SioEncoder.encode(SioPacketType.DISCONNECT, "/admin", null, null).get(0).toString())
			.isEqualTo("41/admin,");
	}

	@Test
	void shouldEncodeRawJsonArgumentsWithoutParsing() {
		assertThat(SioEncoder.encodeRawEvent("/", "tab:output", "{\"data\":\"ls\"}", "\"17\"").toString())
			.isEqualTo("42[\"tab:output\",{\"data\":\"ls\"},\"17\"]");
		assertThat(SioEncoder.encodeRawEvent("/agent", "say \"hi\"").toString())
			.isEqualTo("42/agent,[\"say \\\"hi\\\"\"]");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> SioEncoder.encodeRawEvent("/", "e", " "));
	}

	@Test
	void shouldRefuseToEmitReservedEventNames() {
		for (String reserved : SioDecoder.RESERVED_EVENTS) {
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> SioEncoder.eventPayload(reserved));
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> SioEncoder.encodeRawEvent("/", reserved));
		}
	}

	@Test
	void shouldMoveBinaryToAttachmentsInDepthFirstOrder() {
		JsonNode nested = SioJson.NODES.objectNode()
			.set("inner", SioJson.NODES.arrayNode().add(SioJson.NODES.binaryNode(new byte[] { 2 })));
		List<EioFrame> frames = SioEncoder.encode(SioPacketType.EVENT, "/admin", 7L,
				SioEncoder.eventPayload("bin", SioJson.NODES.binaryNode(new byte[] { 1 }), nested));
		assertThat(frames.get(0).toString()).isEqualTo("452-/admin,7[\"bin\",{\"_placeholder\":true,\"num\":0},"
				+ "{\"inner\":[{\"_placeholder\":true,\"num\":1}]}]");
		assertThat(frames.get(1).bytes()).containsExactly(1);
		assertThat(frames.get(2).bytes()).containsExactly(2);
		assertThat(SioEncoder
			.encode(SioPacketType.ACK, "/", 3L, SioEncoder.ackPayload(SioJson.NODES.binaryNode(new byte[] { 9 })))
			.get(0)
			.toString()).isEqualTo("461-3[{\"_placeholder\":true,\"num\":0}]");
	}

	@Test
	void shouldReconstructAttachmentsInPlace() {
		BinaryReconstructor reconstructor = new BinaryReconstructor();
		SioInboundPacket packet = SioDecoder.decode(
				"452-[\"m\",{\"_placeholder\":true,\"num\":1},{\"k\":{\"_placeholder\":true,\"num\":0}}]".substring(1),
				8);
		reconstructor.start(packet);
		assertThat(reconstructor.add(new byte[] { 10 }, 100)).isNull();
		SioInboundPacket complete = reconstructor.add(new byte[] { 20 }, 100);
		assertThat(complete.data().get(1).binaryValue()).containsExactly(20);
		assertThat(complete.data().get(2).get("k").binaryValue()).containsExactly(10);
		assertThat(reconstructor.isPending()).isFalse();
		assertThat(complete.bytes()).as("the text and both attachments").isEqualTo(packet.bytes() + 2);
	}

	@Test
	void shouldCountWhatAPacketTakesOnTheWireInUtf8() {
		// 2 [ " " ]: 5 ASCII bytes; é 2, € 3, 😀 4 (two chars in Java)
		String text = "2[\"é€😀\"]";
		assertThat(SioDecoder.decode(text, 8).bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length)
			.isEqualTo(14);
		String big = "2[\"tab:output\",{\"data\":\"" + "x".repeat(10_000) + "\"}]";
		assertThat(SioDecoder.decode(big, 8).bytes()).isEqualTo(big.length());
	}

	@Test
	void shouldRefuseBadAttachments() {
		BinaryReconstructor reconstructor = new BinaryReconstructor();
		assertThatExceptionOfType(SioParseException.class).isThrownBy(() -> reconstructor.add(new byte[1], 100));
		reconstructor.start(SioDecoder.decode("51-[\"m\",{\"_placeholder\":true,\"num\":3}]", 8));
		assertThatExceptionOfType(SioParseException.class).isThrownBy(() -> reconstructor.add(new byte[1], 100));
		reconstructor.start(SioDecoder.decode("51-[\"m\",{\"_placeholder\":true,\"num\":0}]", 8));
		assertThatExceptionOfType(SioParseException.class).isThrownBy(() -> reconstructor.add(new byte[101], 100));
		assertThatExceptionOfType(SioParseException.class).isThrownBy(() -> SioDecoder.decode("59-[\"m\"]", 8));
	}

	@Test
	void shouldRefuseAnAttachmentNamedTwice() {
		// One attachment named 2,000 times: 2,000 times its size once the data is written
		// out again (base64, for a publish), from one payload's worth of input.
		String many = String.join(",", java.util.Collections.nCopies(2000, "{\"_placeholder\":true,\"num\":0}"));
		BinaryReconstructor reconstructor = new BinaryReconstructor();
		reconstructor.start(SioDecoder.decode("51-[\"m\",{\"x\":[" + many + "]}]", 8));
		assertThatExceptionOfType(SioParseException.class)
			.isThrownBy(() -> reconstructor.add(new byte[65_536], 1 << 20))
			.withMessage("illegal attachments");
		reconstructor.start(
				SioDecoder.decode("52-[\"m\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":1}]", 8));
		assertThat(reconstructor.add(new byte[] { 1 }, 100)).isNull();
		assertThatExceptionOfType(SioParseException.class).isThrownBy(() -> reconstructor.add(new byte[] { 2 }, 100));
	}

	@Test
	void shouldKeepUnicodeIntact() {
		List<EioFrame> frames = SioEncoder.encode(SioPacketType.EVENT, "/", null,
				SioEncoder.eventPayload("é", SioJson.NODES.stringNode("€ 😀")));
		assertThat(new String(frames.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("42[\"é\",\"€ 😀\"]");
		assertThat(SioDecoder.decode("2[\"é\",\"€ 😀\"]", 8).data().get(1).asString()).isEqualTo("€ 😀");
	}

}
