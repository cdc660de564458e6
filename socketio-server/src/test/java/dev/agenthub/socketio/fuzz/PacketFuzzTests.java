package dev.agenthub.socketio.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import dev.agenthub.socketio.engine.EioCodec;
import dev.agenthub.socketio.engine.EioProtocolException;
import dev.agenthub.socketio.parser.BinaryReconstructor;
import dev.agenthub.socketio.parser.SioDecoder;
import dev.agenthub.socketio.parser.SioInboundPacket;
import dev.agenthub.socketio.parser.SioJson;
import dev.agenthub.socketio.parser.SioParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 item 14: the Engine.IO and Socket.IO decoders answer every malformed packet —
 * text frames, polling payloads, binary packets and their attachments — with their typed
 * protocol exception (which closes the session with a clear reason), never with another
 * exception type.
 */
class PacketFuzzTests {

	private static final int MAX_ATTACHMENTS = 10;

	@Property(tries = 3000)
	void shouldDecodeAnySocketIoPacketOrRefuseItClearly(@ForAll("sioPackets") String text) {
		try {
			SioInboundPacket packet = SioDecoder.decode(text, MAX_ATTACHMENTS);
			assertThat(packet.namespace()).startsWith("/");
			assertThat(packet.attachments()).isBetween(0, MAX_ATTACHMENTS);
		}
		catch (SioParseException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@Property(tries = 2000)
	void shouldReconstructAnyBinaryPacketOrRefuseItClearly(@ForAll("binaryPackets") String text,
			@ForAll("attachments") List<byte[]> attachments) {
		BinaryReconstructor reconstructor = new BinaryReconstructor();
		try {
			SioInboundPacket packet = SioDecoder.decode(text, MAX_ATTACHMENTS);
			if (packet.attachments() > 0) {
				reconstructor.start(packet);
			}
			for (byte[] attachment : attachments) {
				SioInboundPacket complete = reconstructor.add(attachment, 1024);
				if (complete != null) {
					assertThat(placeholders(complete.data())).as("every placeholder replaced").isZero();
					assertThat(reconstructor.isPending()).isFalse();
				}
			}
		}
		catch (SioParseException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@Property(tries = 3000)
	void shouldDecodeAnyEngineIoPacketOrPayloadOrRefuseItClearly(@ForAll("eioPayloads") String payload) {
		try {
			EioCodec.decodeText(payload, false);
		}
		catch (EioProtocolException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
		try {
			assertThat(EioCodec.decodePayload(payload)).isNotEmpty();
		}
		catch (EioProtocolException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	/**
	 * What the property found: an attachment number beyond int escaped as
	 * JsonNodeException.
	 */
	@Example
	void shouldRefuseAPlaceholderNumberBeyondIntClearly() {
		BinaryReconstructor reconstructor = new BinaryReconstructor();
		reconstructor.start(SioDecoder.decode("51-[\"upload\",{\"_placeholder\":true,\"num\":4294967296}]", 10));
		assertThatThrownBy(() -> reconstructor.add(new byte[] { 1 }, 1024)).isInstanceOf(SioParseException.class)
			.hasMessage("illegal attachments");
	}

	private static int placeholders(JsonNode node) {
		if (node == null) {
			return 0;
		}
		int count = (node.isObject() && node.path("_placeholder").isBoolean() && node.path("_placeholder").asBoolean())
				? 1 : 0;
		for (JsonNode child : node) {
			count += placeholders(child);
		}
		return count;
	}

	@Provide
	Arbitrary<String> sioPackets() {
		Arbitrary<String> type = Arbitraries.of("0", "1", "2", "3", "4", "5", "6", "7", "9", "x", "", "-", "/");
		Arbitrary<String> attachments = Arbitraries.of("", "0-", "1-", "2-", "10-", "11-", "99999-", "-", "1", "a-",
				"1--");
		Arbitrary<String> namespace = Arbitraries.of("", "/", "/chat,", "/chat", "/,", "//,", "/a/b,", "/\u0000,");
		Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.of("", "0", "1", "007"),
				Arbitraries.longs().greaterOrEqual(0).map(String::valueOf),
				Arbitraries.strings().numeric().ofMinLength(14).ofMaxLength(40));
		return Combinators.combine(type, attachments, namespace, id, payloads())
			.as((t, a, n, i, p) -> t + a + n + i + p);
	}

	@Provide
	Arbitrary<String> binaryPackets() {
		Arbitrary<String> header = Arbitraries.of("5", "6")
			.flatMap((type) -> Arbitraries.integers()
				.between(0, 4)
				.map((n) -> type + n + "-" + ("6".equals(type) ? "1" : "")));
		Arbitrary<Object> placeholder = Combinators
			.combine(Arbitraries.oneOf(Arbitraries.of(true, false).map((b) -> (Object) b), Arbitraries.just("yes")),
					Arbitraries.oneOf(Arbitraries.integers().between(-1, 5).map((i) -> (Object) i),
							Arbitraries.longs().map((l) -> (Object) l), Arbitraries.just("0"), Arbitraries.just(1.5),
							Arbitraries.just(null)))
			.as((flag, num) -> {
				LinkedHashMap<String, Object> marker = new LinkedHashMap<>();
				marker.put("_placeholder", flag);
				marker.put("num", num);
				return (Object) marker;
			});
		Arbitrary<String> body = Combinators
			.combine(Arbitraries.of("upload", "x", "connect"), placeholder.list().ofMaxSize(4))
			.as((event, markers) -> {
				List<Object> array = new ArrayList<>();
				array.add(event);
				array.add(markers);
				array.addAll(markers);
				return SioJson.write(SioJson.MAPPER.valueToTree(array));
			});
		return Combinators.combine(header, body).as((h, b) -> h + b);
	}

	@Provide
	Arbitrary<List<byte[]>> attachments() {
		return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMaxSize(6);
	}

	@Provide
	Arbitrary<String> eioPayloads() {
		Arbitrary<String> packet = Arbitraries
			.oneOf(Combinators.combine(Arbitraries.of("0", "1", "2", "3", "4", "5", "6", "7", "b", "x", ""), payloads())
				.as((t, p) -> t + p), Arbitraries.strings().ofMaxLength(30).map((s) -> "b" + s));
		return Arbitraries.frequencyOf(Tuple.of(3, packet),
				Tuple.of(2, packet.list().ofMaxSize(5).map((list) -> String.join("\u001e", list))),
				Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30)));
	}

	private static Arbitrary<String> payloads() {
		Arbitrary<String> json = Arbitraries.oneOf(
				Arbitraries.of("", "[]", "{}", "[\"event\"]", "[\"connect\"]", "[1,2]", "[\"e\",{\"a\":1}]", "null",
						"\"s\"", "[\"e\"", "{", "[\"e\"]]", "[" + "[".repeat(2000), "{\"token\":\"t\"}",
						"[\"disconnect\"]", "[null]", "[true]", " ", "[\"e\"] x"),
				Arbitraries.strings().ofMaxLength(20));
		return json;
	}

}
