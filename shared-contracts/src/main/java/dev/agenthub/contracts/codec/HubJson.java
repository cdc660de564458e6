package dev.agenthub.contracts.codec;

import java.nio.charset.StandardCharsets;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventPayload;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.HubEvent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hub's JSON codec: one configured {@link JsonMapper} (thread-safe, shared), and the
 * encode/decode/validate steps every service uses, so a payload is judged the same way
 * everywhere. Decoding errors become {@link ContractViolation}s with a precise message.
 */
public final class HubJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	private static final EventDecoder EVENTS = new EventDecoder(MAPPER);

	private HubJson() {
	}

	/** The shared mapper. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** A new empty JSON object. */
	public static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/** Encodes any value as compact JSON. */
	public static String write(Object value) {
		return MAPPER.writeValueAsString(value);
	}

	/** Encodes any value as compact UTF-8 JSON bytes. */
	public static byte[] writeBytes(Object value) {
		return MAPPER.writeValueAsBytes(value);
	}

	/** Converts a value (e.g. a payload record) to a tree. */
	public static JsonNode tree(Object value) {
		return MAPPER.valueToTree(value);
	}

	/**
	 * Parses JSON text.
	 * @throws ContractViolation when the text is not JSON
	 */
	public static JsonNode parse(String text) {
		try {
			return MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			throw ContractViolation.badRequest("malformed JSON: " + ex.getOriginalMessage());
		}
	}

	/**
	 * Parses JSON bytes.
	 * @throws ContractViolation when the bytes are not JSON
	 */
	public static JsonNode parse(byte[] utf8) {
		try {
			return MAPPER.readTree(utf8);
		}
		catch (JacksonException ex) {
			throw ContractViolation.badRequest("malformed JSON: " + ex.getOriginalMessage());
		}
	}

	/** Encodes an event in its raw-protocol form (once per publish). */
	public static String encodeEvent(HubEvent event) {
		return MAPPER.writeValueAsString(event);
	}

	/** Decodes an event encoded by {@link #encodeEvent(HubEvent)}. */
	public static HubEvent decodeEvent(String json) {
		return EVENTS.decode(json);
	}

	/** Decodes an event encoded by {@link #encodeEvent(HubEvent)}. */
	public static HubEvent decodeEvent(byte[] utf8) {
		return decodeEvent(new String(utf8, StandardCharsets.UTF_8));
	}

	/**
	 * Validates event data against the catalogue.
	 * @param type the event name; must be well-formed ({@link EventType#checkName})
	 * @param data the payload; must be a JSON object
	 * @return the typed payload for catalogue types with one, otherwise {@code null}
	 * @throws ContractViolation naming the event and the offending field
	 */
	public static EventPayload validate(String type, JsonNode data) {
		EventType.checkName(type);
		if (data == null || !data.isObject()) {
			throw ContractViolation.badRequest(type + ": data must be a JSON object");
		}
		EventType known = EventType.of(type);
		if (known == null || known.payloadType() == null) {
			return null;
		}
		return readPayload(type, data, known.payloadType());
	}

	/**
	 * Reads a payload record from a tree, translating every failure into a
	 * {@link ContractViolation} that names the event and field.
	 */
	public static <T> T readPayload(String what, JsonNode data, Class<T> type) {
		try {
			return MAPPER.treeToValue(data, type);
		}
		catch (JacksonException ex) {
			Throwable cause = ex;
			while (cause != null) {
				if (cause instanceof ContractViolation violation) {
					throw new ContractViolation(violation.code(), what + ": " + violation.getMessage());
				}
				cause = cause.getCause();
			}
			throw ContractViolation.badRequest(what + ": " + ex.getOriginalMessage());
		}
	}

}
