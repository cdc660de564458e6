package dev.agenthub.support.connection;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire shape a raw WebSocket connection speaks, chosen per connection: how its
 * messages and events are encoded and how its frames are read. One channel model, several
 * shapes; an event is encoded once per publish for each dialect in use
 * ({@link EncodedEvent}).
 */
public enum Dialect {

	/**
	 * The hub's own: {@code {"type","id","data","timestamp"}} messages and
	 * {@code {"type","channel","offset","epoch","data","timestamp"}} events.
	 */
	HUB {

		@Override
		byte[] event(Publication publication) {
			return utf8(publication.json());
		}

		@Override
		byte[] message(ServerMessage message) {
			return utf8(message.encode());
		}

		@Override
		ClientMessage decode(String text) {
			return ClientMessage.parse(text);
		}

	},

	/**
	 * Seed 003's broadcaster: events as
	 * {@code {"type":"event","event","data","timestamp"}}, other messages with their data
	 * at the top level
	 * ({@code {"type":"sync_response","changes","syncTimestamp","timestamp"}}); a
	 * client's fields may stand at the top level too
	 * ({@code {"type":"sync_request","since"}}).
	 */
	EVENT {

		@Override
		byte[] event(Publication publication) {
			ObjectNode node = HubJson.object();
			node.put("type", "event");
			node.put("event", publication.event().type());
			node.set("data", publication.event().data());
			node.put("timestamp", publication.event().timestamp().toString());
			return HubJson.writeBytes(node);
		}

		@Override
		byte[] message(ServerMessage message) {
			ObjectNode node = flat(message.type(), message.id(), message.data());
			node.put("timestamp", message.timestamp().toString());
			return HubJson.writeBytes(node);
		}

		@Override
		ClientMessage decode(String text) {
			return topLevel(text);
		}

	},

	/**
	 * Seed 004's Fastify socket: every message {@code {"type","payload","timestamp"}}.
	 */
	PAYLOAD {

		@Override
		byte[] event(Publication publication) {
			return payload(publication.event().type(), null, publication.event().data(),
					publication.event().timestamp().toString());
		}

		@Override
		byte[] message(ServerMessage message) {
			return payload(message.type(), message.id(), message.data(), message.timestamp().toString());
		}

		@Override
		ClientMessage decode(String text) {
			return ClientMessage.parse(text);
		}

	},

	/**
	 * Seed 001's daemon and web app: flat messages, their fields at the top level
	 * ({@code {"type":"output","taskId","output","isError"}}); task events under the
	 * daemon's own names ({@code output}, {@code status}); the daemon authenticates with
	 * {@code {"type":"auth","daemonId","authToken"}}.
	 */
	FLAT {

		@Override
		byte[] event(Publication publication) {
			String type = publication.event().type();
			String name = switch (type) {
				case "task:output" -> "output";
				case "task:status" -> "status";
				default -> type;
			};
			return HubJson.writeBytes(flat(name, null, publication.event().data()));
		}

		@Override
		byte[] message(ServerMessage message) {
			return HubJson.writeBytes(flat(message.type(), message.id(), message.data()));
		}

		@Override
		ClientMessage decode(String text) {
			ClientMessage message = topLevel(text);
			if (MessageTypes.AUTH.equals(message.type()) && message.data() instanceof ObjectNode data
					&& !data.has("token") && data.path("authToken").isString()) {
				data.set("token", data.get("authToken"));
			}
			return message;
		}

	};

	/**
	 * A message with its data's fields at the top level, every one of them (a terminal's
	 * text is a field named {@code data}). When the data is no object, or one of its
	 * fields would take the envelope's place ({@code type}; {@code id} when the message
	 * has one), the data goes whole under {@code "data"} instead: nothing is dropped.
	 */
	static ObjectNode flat(String type, JsonNode id, JsonNode data) {
		ObjectNode node = HubJson.object();
		node.put("type", type);
		if (id != null) {
			node.set("id", id);
		}
		if (data instanceof ObjectNode fields && !fields.has("type") && (id == null || !fields.has("id"))) {
			fields.properties().forEach((field) -> node.set(field.getKey(), field.getValue()));
		}
		else if (data != null && !data.isNull()) {
			node.set("data", data);
		}
		return node;
	}

	static byte[] payload(String type, JsonNode id, JsonNode data, String timestamp) {
		ObjectNode node = HubJson.object();
		node.put("type", type);
		if (id != null) {
			node.set("id", id);
		}
		node.set("payload", (data != null) ? data : HubJson.object());
		node.put("timestamp", timestamp);
		return HubJson.writeBytes(node);
	}

	/**
	 * Reads a frame whose fields may stand at the top level: with an object under
	 * {@code data} (or {@code payload}) as the hub reads it, else every field but
	 * {@code type} and {@code id} is the data — a {@code data} that is no object too (a
	 * flat agent's terminal text).
	 */
	static ClientMessage topLevel(String text) {
		ClientMessage message = ClientMessage.parse(text);
		if (message.data().isObject()) {
			return message;
		}
		ObjectNode data = HubJson.object();
		HubJson.parse(text).properties().forEach((field) -> {
			if (!"type".equals(field.getKey()) && !"id".equals(field.getKey())) {
				data.set(field.getKey(), field.getValue());
			}
		});
		return new ClientMessage(message.type(), message.id(), data);
	}

	/**
	 * The server's periodic app-level heartbeat: {@code {"type":"ping"}} in the hub's
	 * shape; seed 004's server sends {@code {"type":"pong"}} every 30 s, so its dialect
	 * does too.
	 */
	byte[] heartbeat() {
		return (this == PAYLOAD) ? utf8("{\"type\":\"pong\"}")
				: message(ServerMessage.of(MessageTypes.PING, null, null));
	}

	/** Encodes an event (once per publish, shared by every recipient). */
	abstract byte[] event(Publication publication);

	/** Encodes a message to one connection (reply, notice, error). */
	abstract byte[] message(ServerMessage message);

	/**
	 * Reads a client frame.
	 * @throws ContractViolation saying what is wrong with it
	 */
	abstract ClientMessage decode(String text);

	/**
	 * The dialect a client asks for ({@code ?dialect=}), or {@code fallback}.
	 * @throws ContractViolation for a name that is none of them
	 */
	public static Dialect named(String name, Dialect fallback) {
		if (name == null || name.isBlank()) {
			return fallback;
		}
		for (Dialect dialect : values()) {
			if (dialect.name().equalsIgnoreCase(name)) {
				return dialect;
			}
		}
		throw ContractViolation.badRequest("unknown dialect '" + ((name.length() > 20) ? name.substring(0, 20) : name)
				+ "'; one of " + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
