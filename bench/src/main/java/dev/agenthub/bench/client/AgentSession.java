package dev.agenthub.bench.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.agenthub.bench.metrics.Frames;
import io.netty.buffer.ByteBuf;

/**
 * A simulated sidecar agent on the agent ingress: registers for its token's workspace,
 * heartbeats and writes tab output. Raw frames rather than agent-client so that ten
 * thousand of them cost a few KB each in the generator.
 */
public final class AgentSession implements Agent {

	private final CompletableFuture<AgentSession> registered = new CompletableFuture<>();

	private WsConn conn;

	private volatile int errors;

	private AgentSession() {
	}

	/**
	 * Connects and registers.
	 * @param agentUrl {@code ws://host:port/agent/ws}
	 * @param token agent token
	 * @param workspace workspace to serve
	 * @param sourceHost local address or {@code null}
	 * @return completes when {@code registered} arrives
	 */
	public static CompletableFuture<AgentSession> connect(String agentUrl, String token, String workspace,
			String sourceHost) {
		AgentSession session = new AgentSession();
		URI uri = URI.create(agentUrl + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
		session.conn = WsConn.open(uri, sourceHost, session::onFrame, SioAgent.AGENT_QUEUE);
		session.conn.closed()
			.thenAccept(
					(code) -> session.registered.completeExceptionally(new IllegalStateException("closed " + code)));
		session.conn
			.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		return session.registered;
	}

	@Override
	public boolean heartbeat() {
		return this.conn.send("{\"type\":\"heartbeat\",\"data\":{}}");
	}

	/**
	 * Writes one chunk of tab output.
	 * @param tabId the tab
	 * @param text output text (must need no JSON escaping)
	 * @return whether it was queued
	 */
	@Override
	public boolean tabOutput(String tabId, String text) {
		return this.conn
			.send("{\"type\":\"tab:output\",\"data\":{\"tabId\":\"" + tabId + "\",\"data\":\"" + text + "\"}}");
	}

	@Override
	public void close() {
		this.conn.close();
	}

	@Override
	public WsConn conn() {
		return this.conn;
	}

	@Override
	public int errors() {
		return this.errors;
	}

	private void onFrame(WsConn source, ByteBuf frame) {
		String type = Frames.type(frame);
		if ("registered".equals(type)) {
			this.registered.complete(this);
		}
		else if ("error".equals(type)) {
			this.errors++;
		}
		if ("error".equals(type) && !this.registered.isDone()) {
			this.registered.completeExceptionally(
					new IllegalStateException("register refused: " + frame.toString(StandardCharsets.UTF_8)));
		}
	}

}
