package dev.agenthub.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

/**
 * A browser on a Socket.IO server's {@code /} namespace (the hub's gateway or the
 * incumbent): token in the CONNECT payload, {@code subscribe} with an ack.
 */
public final class SioBrowser implements Browser {

	private final SioConn conn;

	private SioBrowser(SioConn conn) {
		this.conn = conn;
	}

	/**
	 * Connects and authenticates.
	 * @param base {@code ws://host:port}
	 * @param authJson CONNECT payload, e.g. {@code {"token":"..."}} (plus
	 * {@code "pid","offset"} to resume)
	 * @param sourceHost local address or {@code null}
	 * @param events every event packet
	 * @return completes when the namespace is connected
	 */
	public static CompletableFuture<SioBrowser> connect(String base, String authJson, String sourceHost,
			Consumer<ByteBuf> events) {
		SioConn conn = SioConn.open(base, "/", authJson, sourceHost, events);
		SioBrowser browser = new SioBrowser(conn);
		return conn.connected().thenApply((reply) -> browser);
	}

	/**
	 * @return the CONNECT reply ({@code {"sid":...,"pid":...}}), once connected
	 */
	public String connectReply() {
		return this.conn.connected().getNow("");
	}

	@Override
	public CompletableFuture<String> subscribeReply(String channel, String epoch, long offset) {
		String since = (epoch != null) ? ",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}" : "";
		return this.conn.emitWithAck("subscribe", "{\"channel\":\"" + channel + "\"" + since + "}").thenApply((ack) -> {
			if (ack.contains("\"code\":")) {
				throw new IllegalStateException("subscribe refused: " + ack);
			}
			return ack;
		});
	}

	@Override
	public boolean ping() {
		return true;
	}

	@Override
	public void close() {
		this.conn.close();
	}

	@Override
	public void abort() {
		this.conn.abort();
	}

	@Override
	public WsConn conn() {
		return this.conn.ws();
	}

}
