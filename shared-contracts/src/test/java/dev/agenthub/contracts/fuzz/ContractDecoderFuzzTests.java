package dev.agenthub.contracts.fuzz;

import java.util.LinkedHashMap;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.message.ClientMessage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 14: every decoder of the contracts module answers hostile input with a
 * {@link ContractViolation} (a clear {@code bad_request}), never another exception type:
 * client frames, event payloads of every catalogue type, stored events, channel names.
 */
class ContractDecoderFuzzTests {

	static void refusedClearly(Runnable decode) {
		try {
			decode.run();
		}
		catch (ContractViolation ex) {
			assertThat(ex.getMessage()).isNotBlank();
			assertThat(ex.code()).isNotNull();
		}
	}

	@Property(tries = 2000)
	void shouldDecodeAnyClientFrameOrRefuseItClearly(@ForAll("texts") String frame) {
		refusedClearly(() -> {
			ClientMessage message = ClientMessage.parse(frame);
			for (String field : JsonArbitraries.FIELDS) {
				refusedClearly(() -> message.requireText(field));
				refusedClearly(() -> message.optionalText(field));
			}
		});
	}

	@Property(tries = 3000)
	void shouldValidateAnyEventPayloadOrRefuseItClearly(@ForAll("eventTypes") String type,
			@ForAll("payloads") Object data) {
		JsonNode tree = HubJson.tree(data);
		refusedClearly(() -> HubJson.validate(type, tree));
	}

	@Property(tries = 1000)
	void shouldDecodeAnyStoredEventOrRefuseItClearly(@ForAll("texts") String json) {
		refusedClearly(() -> HubJson.decodeEvent(json));
	}

	@Property(tries = 2000)
	void shouldParseAnyChannelNameOrRefuseItClearly(@ForAll("channels") String name) {
		refusedClearly(() -> {
			Channel channel = Channel.parse(name);
			assertThat(Channel.parse(channel.name())).isEqualTo(channel);
		});
	}

	@Provide
	Arbitrary<String> texts() {
		return JsonArbitraries.texts();
	}

	@Provide
	Arbitrary<String> eventTypes() {
		return Arbitraries.oneOf(Arbitraries.of(EventType.values()).map(EventType::wireName),
				JsonArbitraries.nastyStrings());
	}

	@Provide
	Arbitrary<Object> payloads() {
		return Arbitraries.oneOf(JsonArbitraries.values(),
				Arbitraries.maps(Arbitraries.of(JsonArbitraries.FIELDS), JsonArbitraries.values())
					.ofMaxSize(8)
					.map((m) -> (Object) new LinkedHashMap<>(m)));
	}

	@Provide
	Arbitrary<String> channels() {
		Arbitrary<String> prefixes = Arbitraries.of("workspace:", "agent:", "task:", "user:", "client:", "repository:",
				"conversation:", "broadcast", "", ":", "WORKSPACE:", "broadcast:");
		return Arbitraries.oneOf(JsonArbitraries.nastyStrings(),
				prefixes.flatMap((prefix) -> JsonArbitraries.nastyStrings().map((id) -> prefix + id)));
	}

}
