package dev.agenthub.contracts.codec;

import java.time.Instant;
import java.util.Random;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.HubEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The streaming event decoder against what binding {@link HubEvent} with the hub's mapper
 * gives, on events encoded as the hub encodes them and on the inputs it must refuse.
 */
class EventDecoderTests {

	@Test
	void shouldDecodeWhatTheMapperDecodesForEncodedEvents() {
		Random random = new Random(42);
		for (int i = 0; i < 2_000; i++) {
			long millis = random.nextLong(-5_000_000_000_000L, 250_000_000_000_000L);
			Instant timestamp = Instant.ofEpochMilli(millis)
				.plusNanos((i % 3 == 0) ? random.nextInt(1_000_000) : 0)
				.minusNanos((i % 7 == 0) ? millis % 1000 * 1_000_000 : 0);
			HubEvent event = new HubEvent("tab:output", "workspace:w" + i, random.nextLong(0, Long.MAX_VALUE),
					"e" + random.nextInt(),
					HubJson.parse("{\"data\":\"" + "x".repeat(i % 50) + "\\u0000\\n\",\"n\":[1,{\"a\":null}]}"),
					timestamp);
			String json = HubJson.encodeEvent(event);
			HubEvent bound = HubJson.mapper().readValue(json, HubEvent.class);

			assertThat(HubJson.decodeEvent(json)).as(json).isEqualTo(bound).isEqualTo(event);
		}
	}

	@Test
	void shouldIgnoreUnknownFieldsAndTakeTheLastOfARepeatedOne() {
		String json = "{\"extra\":{\"deep\":[1,2,{\"x\":3}]},\"type\":\"a\",\"type\":\"b\",\"channel\":\"c\",\"offset\":\"7\","
				+ "\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00+01:00\",\"more\":true}";

		assertThat(HubJson.decodeEvent(json)).isEqualTo(HubJson.mapper().readValue(json, HubEvent.class))
			.isEqualTo(new HubEvent("b", "c", 7, "e", HubJson.object(), Instant.parse("2026-12-02T18:30:00Z")));
	}

	@Test
	void shouldReadInstantsInTheirOwnShapeAndOthersThroughTheParser() {
		for (String text : new String[] { "2026-12-02T19:30:00Z", "2026-12-02T19:30:00.1Z", "2026-12-02T19:30:00.123Z",
				"2026-12-02T19:30:00.123456789Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z",
				"+10000-01-01T00:00:00Z", "2024-02-29T23:59:59.5Z", "2026-12-02T24:00:00Z", "2026-12-02T19:30:00.Z" }) {
			assertThat(EventDecoder.instant(text)).as(text).isEqualTo(Instant.parse(text));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-02-30T00:00:00Z", "2026-12-02T19:60:00Z", "2026-12-02T19:30:00.1234567890Z",
			"2026-12-02 19:30:00Z", "2026-12-0xT19:30:00Z", "2026-12-02T19:30:00" })
	void shouldRefuseMalformedTimestamps(String text) {
		assertThatThrownBy(() -> EventDecoder.instant(text)).isInstanceOf(ContractViolation.class)
			.hasMessageContaining("malformed event");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "[]", "\"event\"", "{", "{\"type\":\"a\"", "{} {}",
			"{\"type\":\"a\",\"channel\":\"c\",\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":\"a\",\"channel\":\"c\",\"offset\":null,\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":\"a\",\"channel\":\"c\",\"offset\":\"x\",\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":\"a\",\"channel\":\"c\",\"offset\":1.5,\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":{},\"channel\":\"c\",\"offset\":1,\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":\"a\",\"channel\":null,\"offset\":1,\"epoch\":\"e\",\"data\":{},\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":\"a\",\"channel\":\"c\",\"offset\":1,\"epoch\":\"e\",\"timestamp\":\"2026-12-02T19:30:00Z\"}",
			"{\"type\":\"a\",\"channel\":\"c\",\"offset\":1,\"epoch\":\"e\",\"data\":{}}",
			"{\"type\":\"a\",\"channel\":\"c\",\"offset\":1,\"epoch\":\"e\",\"data\":{},\"timestamp\":\"yesterday\"}" })
	void shouldRefuseMalformedEventsWithAContractViolation(String json) {
		assertThatThrownBy(() -> HubJson.decodeEvent(json)).isInstanceOf(ContractViolation.class)
			.hasMessageStartingWith("malformed event");
	}

}
