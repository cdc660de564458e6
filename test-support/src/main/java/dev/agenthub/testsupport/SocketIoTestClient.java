package dev.agenthub.testsupport;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A minimal Socket.IO v5 client over a WebSocket ({@link RawSocketClient}), for tests
 * that drive the hub's Socket.IO ingress from Java: connect to a namespace with an auth
 * payload, emit events (with acks), read events and acks, answer the engine's pings, and
 * stop reading on purpose.
 */
public final class SocketIoTestClient implements AutoCloseable {

	private final RawSocketClient socket;

	private final String namespace;

	private int nextAck;

	private SocketIoTestClient(RawSocketClient socket, String namespace) {
		this.socket = socket;
		this.namespace = namespace;
	}

	/**
	 * Opens an Engine.IO session over WebSocket and connects to a namespace.
	 * @param base {@code ws://host:port}
	 * @param namespace e.g. {@code /} or {@code /agent}
	 * @param auth the CONNECT payload
	 * @param receiveBuffer the socket's receive buffer in bytes
	 * @return the client; {@link #connectReply()} says whether it was accepted
	 */
	public static SocketIoTestClient connect(String base, String namespace, Object auth, int receiveBuffer) {
		return connect(base, "", namespace, auth, receiveBuffer);
	}

	/**
	 * Opens an Engine.IO session over WebSocket with more parameters in its handshake's
	 * query (socket.io-client's {@code query} option) and connects to a namespace.
	 * @param query e.g. {@code token=...}, appended to the engine's own parameters
	 */
	public static SocketIoTestClient connect(String base, String query, String namespace, Object auth,
			int receiveBuffer) {
		RawSocketClient socket = RawSocketClient.connect(
				base + "/socket.io/?EIO=4&transport=websocket" + (query.isEmpty() ? "" : "&" + query), Map.of(),
				receiveBuffer);
		String open = socket.nextText(Duration.ofSeconds(10));
		if (open == null || !open.startsWith("0")) {
			throw new IllegalStateException("no Engine.IO open packet: " + open);
		}
		SocketIoTestClient client = new SocketIoTestClient(socket, namespace);
		socket.sendText("40" + client.prefix() + HubJson.write(auth));
		return client;
	}

	private String prefix() {
		return "/".equals(this.namespace) ? "" : this.namespace + ",";
	}

	/**
	 * The namespace's answer to the CONNECT: {@code {"type":"connect","data":{sid,pid}}}
	 * or {@code {"type":"connect_error","data":{message,data}}}.
	 */
	public JsonNode connectReply() {
		return next(Duration.ofSeconds(10));
	}

	/**
	 * Leaves the namespace ({@code DISCONNECT}) and connects to it again on the same
	 * Engine.IO session; {@link #connectReply()} reads the answer.
	 */
	public SocketIoTestClient reconnect(Object auth) {
		this.socket.sendText("41" + prefix());
		this.socket.sendText("40" + prefix() + HubJson.write(auth));
		return this;
	}

	/** Emits an event with one argument. */
	public SocketIoTestClient emit(String event, Object data) {
		this.socket.sendText(
				"42" + prefix() + HubJson.write(HubJson.mapper().createArrayNode().add(event).add(HubJson.tree(data))));
		return this;
	}

	/** Emits an event with one argument, asking for an ack; returns the ack id. */
	public int emitWithAck(String event, Object data) {
		int id = ++this.nextAck;
		this.socket.sendText("42" + prefix() + id
				+ HubJson.write(HubJson.mapper().createArrayNode().add(event).add(HubJson.tree(data))));
		return id;
	}

	/** Sends a raw Engine.IO text packet. */
	public SocketIoTestClient sendRaw(String packet) {
		this.socket.sendText(packet);
		return this;
	}

	/**
	 * The next Socket.IO packet as {@code {"type": event name | "ack" | "connect" |
	 * "connect_error" | "disconnect", "data": first argument, "args": all, "ack": id}},
	 * answering engine pings on the way; {@code null} once the server closed.
	 */
	public JsonNode next(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			String text = this.socket
				.nextText(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
			if (text == null) {
				return null;
			}
			if (text.equals("2")) {
				this.socket.sendText("3");
				continue;
			}
			if (!text.startsWith("4") || text.length() < 2) {
				continue;
			}
			JsonNode packet = parse(text.substring(1));
			if (packet != null) {
				return packet;
			}
		}
		throw new AssertionError("no Socket.IO packet within " + timeout);
	}

	/**
	 * The data of the ack with the given id ({@link #emitWithAck}), skipping other
	 * packets.
	 */
	public JsonNode awaitAck(int id, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode packet = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (packet == null) {
				throw new AssertionError("closed before the ack " + id);
			}
			if ("ack".equals(packet.path("type").asString()) && packet.path("ack").asInt(-1) == id) {
				return packet.path("data");
			}
		}
	}

	private JsonNode parse(String packet) {
		char type = packet.charAt(0);
		String rest = packet.substring(1);
		if (rest.startsWith("/")) {
			int comma = rest.indexOf(',');
			rest = (comma < 0) ? "" : rest.substring(comma + 1);
		}
		int start = 0;
		while (start < rest.length() && Character.isDigit(rest.charAt(start))) {
			start++;
		}
		Integer ack = (start > 0) ? Integer.valueOf(rest.substring(0, start)) : null;
		JsonNode body = (start < rest.length()) ? HubJson.parse(rest.substring(start)) : null;
		var result = HubJson.object();
		switch (type) {
			case '0' -> result.put("type", "connect").set("data", body);
			case '1' -> result.put("type", "disconnect");
			case '4' -> result.put("type", "connect_error").set("data", body);
			case '2' -> {
				ArrayNode args = (ArrayNode) body;
				result.put("type", args.get(0).asString());
				result.set("data", (args.size() > 1) ? args.get(1) : null);
				result.set("args", args);
				if (ack != null) {
					result.put("ack", ack);
				}
			}
			case '3' -> {
				result.put("type", "ack").put("ack", ack);
				result.set("data", (body != null && body.size() > 0) ? body.get(0) : null);
			}
			default -> {
				return null;
			}
		}
		return result;
	}

	/** Reads until the server closes the WebSocket; its close code, or -1. */
	public int awaitClose(Duration timeout) {
		return this.socket.awaitClose(timeout);
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
