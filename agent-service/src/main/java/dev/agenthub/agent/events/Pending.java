package dev.agenthub.agent.events;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.EventType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event waiting in an {@link OrderedPublisher}'s queue; plain {@code tab:output} keeps
 * its text open for more chunks of its tab and stream until it is taken. Guarded by its
 * publisher.
 */
final class Pending {

	private static final Set<String> PLAIN_OUTPUT_FIELDS = Set.of("tabId", "data", "stream");

	final String channel;

	final String type;

	private final JsonNode data;

	private final String tabId;

	private final String stream;

	private final StringBuilder output;

	/** Characters it holds of the budget (its text, or its data's estimate). */
	long bytes;

	/** Whether it gave them back. */
	boolean released;

	private Pending(String channel, String type, JsonNode data, String tabId, String stream, StringBuilder output) {
		this.channel = channel;
		this.type = type;
		this.data = data;
		this.tabId = tabId;
		this.stream = stream;
		this.output = output;
		this.bytes = (output != null) ? output.length() : size(data);
	}

	/** Plain {@code tab:output}, open for more chunks of its tab and stream. */
	static Pending output(String channel, String type, JsonNode data) {
		return new Pending(channel, type, null, data.get("tabId").asString(), stream(data),
				new StringBuilder(data.get("data").asString()));
	}

	/** Any other event, published as it is. */
	static Pending event(String channel, String type, JsonNode data) {
		return new Pending(channel, type, data, null, null, null);
	}

	/** Whether an event is plain {@code tab:output} (tab, text, stream; nothing else). */
	static boolean plainOutput(String type, JsonNode data) {
		if (!EventType.TAB_OUTPUT.wireName().equals(type)) {
			return false;
		}
		for (String field : data.propertyNames()) {
			if (!PLAIN_OUTPUT_FIELDS.contains(field)) {
				return false;
			}
		}
		return data.get("data").isString() && data.get("tabId").isString()
				&& (!data.has("stream") || data.get("stream").isString());
	}

	/**
	 * Whether plain output for {@code channel} continues this one: the same channel, tab
	 * and stream, and the merged text within {@code maxBytes}.
	 */
	boolean takes(String channel, JsonNode data, int maxBytes) {
		return this.output != null && this.channel.equals(channel) && this.tabId.equals(data.get("tabId").asString())
				&& Objects.equals(this.stream, stream(data))
				&& this.output.length() + data.get("data").asString().length() <= maxBytes;
	}

	/** Appends text that {@link #takes} allowed (its bytes already held). */
	void append(String text) {
		this.output.append(text);
		this.bytes += text.length();
	}

	/**
	 * The data to publish (merged output made afresh, so a retry carries what joined).
	 */
	JsonNode data() {
		if (this.output == null) {
			return this.data;
		}
		ObjectNode merged = HubJson.object();
		merged.put("tabId", this.tabId);
		merged.put("data", this.output.toString());
		if (this.stream != null) {
			merged.put("stream", this.stream);
		}
		return merged;
	}

	/**
	 * About the characters of a value's JSON, without writing it: its strings and names,
	 * and a few for each other value.
	 */
	static long size(JsonNode node) {
		if (node.isString()) {
			return node.asString().length() + 2L;
		}
		if (!node.isContainer()) {
			return 8;
		}
		long size = 2;
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				size += field.getKey().length() + 4L + size(field.getValue());
			}
		}
		else {
			for (JsonNode element : node) {
				size += 1 + size(element);
			}
		}
		return size;
	}

	private static String stream(JsonNode data) {
		return data.has("stream") ? data.get("stream").asString() : null;
	}

}
