package dev.agenthub.bench.client;

import java.util.concurrent.CompletableFuture;

import dev.agenthub.bench.metrics.Frames;

/**
 * An agent on a Socket.IO server's {@code /agent} namespace (the hub's agent service or
 * the incumbent): token in the CONNECT payload, {@code register} with an ack, tab output
 * and heartbeats as events.
 */
public final class SioAgent implements Agent {

	private static final byte[] ERROR_EVENT = Frames.ascii("[\"error\"");

	/**
	 * Frames an agent queues before a chunk counts as not sent (agent clients buffer).
	 */
	static final int AGENT_QUEUE = 8192;

	private final SioConn conn;

	private volatile int errors;

	private SioAgent(String base, String token, String sourceHost) {
		this.conn = SioConn.open(base, "/agent", "{\"token\":\"" + token + "\"}", sourceHost, (frame) -> {
			if (Frames.indexOf(frame, ERROR_EVENT) >= 0) {
				this.errors++;
			}
		}, AGENT_QUEUE);
	}

	/**
	 * Connects and registers.
	 * @param base {@code ws://host:port}
	 * @param token agent token
	 * @param workspace its workspace
	 * @param sourceHost local address or {@code null}
	 * @return completes when {@code register} is acked
	 */
	public static CompletableFuture<Agent> connect(String base, String token, String workspace, String sourceHost) {
		SioAgent agent = new SioAgent(base, token, sourceHost);
		return agent.conn.connected()
			.thenCompose((reply) -> agent.conn.emitWithAck("register",
					"{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}"))
			.thenApply((ack) -> {
				if (ack.contains("\"code\":")) {
					throw new IllegalStateException("register refused: " + ack);
				}
				return agent;
			});
	}

	@Override
	public boolean tabOutput(String tabId, String text) {
		return this.conn.emit("tab:output", "{\"tabId\":\"" + tabId + "\",\"data\":\"" + text + "\"}");
	}

	@Override
	public boolean heartbeat() {
		return this.conn.emit("heartbeat", "{}");
	}

	@Override
	public int errors() {
		return this.errors;
	}

	@Override
	public void close() {
		this.conn.close();
	}

	@Override
	public WsConn conn() {
		return this.conn.ws();
	}

}
