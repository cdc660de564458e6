package dev.agenthub.socketio.parser;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The one JSON mapper of the engine: compact output, insertion order kept. */
public final class SioJson {

	/** The shared mapper (thread-safe). */
	public static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	/** The node factory. */
	public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private SioJson() {
	}

	/** Parse JSON text, or throw {@link SioParseException}. */
	public static JsonNode parse(String json) {
		try {
			return MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new SioParseException("invalid JSON payload");
		}
	}

	/** Compact JSON text. */
	public static String write(JsonNode node) {
		return MAPPER.writeValueAsString(node);
	}

}
