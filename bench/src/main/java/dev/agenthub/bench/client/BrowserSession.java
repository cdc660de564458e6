package dev.agenthub.bench.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.agenthub.bench.metrics.Frames;
import io.netty.buffer.ByteBuf;

/**
 * A simulated browser on the gateway's raw protocol: authenticates with {@code ?token=},
 * subscribes, and hands every event frame to a listener.
 */
public final class BrowserSession implements Browser {

	/** Receives event frames (anything but auth, subscribed, error, pong, ping). */
	public interface EventListener {

		void onEvent(BrowserSession session, ByteBuf frame);

	}

	private final CompletableFuture<BrowserSession> authenticated = new CompletableFuture<>();

	private volatile CompletableFuture<Boolean> subscribed = new CompletableFuture<>();

	private volatile CompletableFuture<String> subscribedReply = new CompletableFuture<>();

	private final EventListener listener;

	/**
	 * Presence events, dropped unless someone asks (they are not the measured traffic).
	 */
	private volatile java.util.function.Consumer<ByteBuf> presence = (frame) -> {
	};

	private final int id;

	private WsConn conn;

	/**
	 * Hands presence events to {@code listener} too (they take offsets on workspace
	 * channels: a client that checks offsets for gaps must see them).
	 */
	public void onPresence(java.util.function.Consumer<ByteBuf> listener) {
		this.presence = listener;
	}

	private BrowserSession(int id, EventListener listener) {
		this.id = id;
		this.listener = listener;
	}

	/**
	 * Connects and authenticates.
	 * @param id caller's number for this session
	 * @param gatewayUrl {@code ws://host:port/ws}
	 * @param token user token
	 * @param sourceHost local address or {@code null}
	 * @param listener event listener
	 * @return completes when {@code auth} succeeded
	 */
	public static CompletableFuture<BrowserSession> connect(int id, String gatewayUrl, String token, String sourceHost,
			EventListener listener) {
		BrowserSession session = new BrowserSession(id, listener);
		URI uri = URI.create(gatewayUrl + (gatewayUrl.contains("?") ? "&" : "?") + "token="
				+ URLEncoder.encode(token, StandardCharsets.UTF_8));
		session.conn = WsConn.open(uri, sourceHost, session::onFrame);
		session.conn.closed().thenAccept((code) -> {
			IllegalStateException closed = new IllegalStateException("closed " + code);
			session.authenticated.completeExceptionally(closed);
			session.subscribed.completeExceptionally(closed);
			session.subscribedReply.completeExceptionally(closed);
		});
		return session.authenticated;
	}

	/**
	 * Subscribes to a channel, optionally resuming.
	 * @param channel the channel
	 * @param epoch epoch to resume from, or {@code null}
	 * @param offset last offset seen
	 * @return completes with {@code recovered} when {@code subscribed} arrives
	 */
	public CompletableFuture<Boolean> subscribe(String channel, String epoch, long offset) {
		this.subscribed = new CompletableFuture<>();
		this.subscribedReply = new CompletableFuture<>();
		String since = (epoch != null) ? ",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}" : "";
		if (!this.conn.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"" + since + "}}")) {
			this.subscribed.completeExceptionally(new IllegalStateException("send failed"));
		}
		return this.subscribed;
	}

	@Override
	public CompletableFuture<String> subscribeReply(String channel, String epoch, long offset) {
		subscribe(channel, epoch, offset);
		return this.subscribedReply;
	}

	/**
	 * Sends an application-level ping (keeps an idle connection from the idle timeout).
	 */
	@Override
	public boolean ping() {
		return this.conn.send("{\"type\":\"ping\"}");
	}

	@Override
	public void close() {
		this.conn.close();
	}

	@Override
	public void abort() {
		this.conn.abort();
	}

	public int id() {
		return this.id;
	}

	@Override
	public WsConn conn() {
		return this.conn;
	}

	private void onFrame(WsConn source, ByteBuf frame) {
		String type = Frames.type(frame);
		switch (type) {
			case "auth" -> {
				if (Frames.indexOf(frame, Frames.SUCCESS_TRUE) >= 0) {
					this.authenticated.complete(this);
				}
				else {
					this.authenticated.completeExceptionally(
							new IllegalStateException("auth refused: " + frame.toString(StandardCharsets.UTF_8)));
				}
			}
			case "subscribed" -> {
				this.subscribed.complete(Frames.indexOf(frame, Frames.RECOVERED_TRUE) >= 0);
				this.subscribedReply.complete(frame.toString(StandardCharsets.UTF_8));
			}
			case "error" -> {
				IllegalStateException error = new IllegalStateException(
						"error: " + frame.toString(StandardCharsets.UTF_8));
				this.subscribed.completeExceptionally(error);
				this.subscribedReply.completeExceptionally(error);
			}
			case "pong", "ping" -> {
			}
			case "user_presence" -> this.presence.accept(frame);
			default -> this.listener.onEvent(this, frame);
		}
	}

}
