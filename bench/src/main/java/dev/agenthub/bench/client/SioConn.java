package dev.agenthub.bench.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

/**
 * A minimal Socket.IO v5 / Engine.IO v4 client over the WebSocket transport only (what
 * {@code socket.io-client} does with {@code transports: ["websocket"]}), one namespace
 * per connection, on the generator's shared event loop. It answers the server's pings,
 * connects the namespace with an auth payload, sends events with or without an ack and
 * hands every event packet ({@code 42...}) to a listener as bytes, unparsed: scenarios
 * scan them for timestamps as they do raw frames. Both the hub and the incumbent are
 * driven through it, so the comparison uses one client implementation.
 */
public final class SioConn {

	private final CompletableFuture<String> connected = new CompletableFuture<>();

	private final Map<Integer, CompletableFuture<String>> acks = new ConcurrentHashMap<>();

	private final AtomicInteger nextAck = new AtomicInteger();

	private final String namespace;

	private final String authJson;

	private final Consumer<ByteBuf> events;

	private final String eventPrefix;

	private WsConn ws;

	private SioConn(String namespace, String authJson, Consumer<ByteBuf> events) {
		this.namespace = namespace;
		this.authJson = authJson;
		this.events = events;
		this.eventPrefix = "/".equals(namespace) ? "" : namespace + ",";
	}

	/**
	 * Opens a WebSocket to {@code base/socket.io/?EIO=4&transport=websocket} and connects
	 * a namespace.
	 * @param base {@code ws://host:port}
	 * @param namespace {@code /} or e.g. {@code /agent}
	 * @param authJson the CONNECT payload, e.g. {@code {"token":"..."}}
	 * @param sourceHost local address or {@code null}
	 * @param events receives every event packet ({@code 42["name",...]}) as bytes, valid
	 * during the call only
	 * @return the connection; {@link #connected()} completes with the CONNECT reply
	 */
	public static SioConn open(String base, String namespace, String authJson, String sourceHost,
			Consumer<ByteBuf> events) {
		return open(base, namespace, authJson, sourceHost, events, 64);
	}

	/**
	 * As {@link #open(String, String, String, String, Consumer)} with an outbound queue
	 * of {@code queue} packets.
	 */
	public static SioConn open(String base, String namespace, String authJson, String sourceHost,
			Consumer<ByteBuf> events, int queue) {
		SioConn conn = new SioConn(namespace, authJson, events);
		conn.ws = WsConn.open(URI.create(base + "/socket.io/?EIO=4&transport=websocket"), sourceHost, conn::onFrame,
				queue);
		conn.ws.closed().thenAccept((code) -> {
			IllegalStateException closed = new IllegalStateException("closed " + code);
			conn.connected.completeExceptionally(closed);
			conn.acks.values().forEach((f) -> f.completeExceptionally(closed));
		});
		return conn;
	}

	/**
	 * @return completes with the namespace CONNECT reply's JSON ({@code {"sid":...}}), or
	 * exceptionally on {@code connect_error} or close
	 */
	public CompletableFuture<String> connected() {
		return this.connected;
	}

	/**
	 * Emits an event without an ack.
	 * @param event the name (needs no JSON escaping)
	 * @param dataJson its one argument as JSON
	 * @return whether it was queued
	 */
	public boolean emit(String event, String dataJson) {
		return this.ws.send("42" + this.eventPrefix + "[\"" + event + "\"," + dataJson + "]");
	}

	/**
	 * Emits an event with an ack.
	 * @param event the name
	 * @param dataJson its argument as JSON
	 * @return completes with the ack's arguments as JSON text ({@code [...]})
	 */
	public CompletableFuture<String> emitWithAck(String event, String dataJson) {
		int id = this.nextAck.incrementAndGet();
		CompletableFuture<String> reply = new CompletableFuture<>();
		this.acks.put(id, reply);
		if (!this.ws.send("42" + this.eventPrefix + id + "[\"" + event + "\"," + dataJson + "]")) {
			this.acks.remove(id);
			reply.completeExceptionally(new IllegalStateException("send failed"));
		}
		return reply;
	}

	public WsConn ws() {
		return this.ws;
	}

	public void close() {
		this.ws.send("41" + this.eventPrefix);
		this.ws.close();
	}

	public void abort() {
		this.ws.abort();
	}

	private void onFrame(WsConn source, ByteBuf frame) {
		int at = frame.readerIndex();
		if (frame.readableBytes() == 0) {
			return;
		}
		byte engine = frame.getByte(at);
		if (engine == '2') {
			source.send("3");
			return;
		}
		if (engine == '0') {
			source.send("40" + this.eventPrefix + this.authJson);
			return;
		}
		if (engine != '4' || frame.readableBytes() < 2) {
			return;
		}
		byte packet = frame.getByte(at + 1);
		int body = at + 2;
		if (!this.eventPrefix.isEmpty()) {
			body += this.eventPrefix.length();
		}
		switch (packet) {
			case '2' -> this.events.accept(frame);
			case '0' ->
				this.connected.complete(frame.toString(body, frame.writerIndex() - body, StandardCharsets.UTF_8));
			case '4' -> this.connected.completeExceptionally(new IllegalStateException(
					"connect_error " + frame.toString(body, frame.writerIndex() - body, StandardCharsets.UTF_8)));
			case '3' -> {
				int id = 0;
				int i = body;
				while (i < frame.writerIndex() && Character.isDigit(frame.getByte(i))) {
					id = id * 10 + (frame.getByte(i) - '0');
					i++;
				}
				CompletableFuture<String> reply = this.acks.remove(id);
				if (reply != null) {
					reply.complete(frame.toString(i, frame.writerIndex() - i, StandardCharsets.UTF_8));
				}
			}
			case '1' -> this.ws.close();
			default -> {
			}
		}
	}

}
