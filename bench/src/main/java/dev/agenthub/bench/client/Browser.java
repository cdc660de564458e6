package dev.agenthub.bench.client;

import java.util.concurrent.CompletableFuture;

/**
 * A simulated browser on any target (the hub's raw protocol, the hub's Socket.IO
 * namespace, the incumbent's Socket.IO server): subscribed to channels, its event frames
 * handed to a listener as bytes.
 */
public interface Browser {

	/**
	 * Subscribes to a channel, optionally resuming after {@code offset} of {@code epoch}.
	 * @param channel the channel
	 * @param epoch epoch to resume from, or {@code null}
	 * @param offset last offset seen
	 * @return completes with the reply's JSON text
	 */
	CompletableFuture<String> subscribeReply(String channel, String epoch, long offset);

	/**
	 * Application-level keep-alive where the protocol needs one (raw); no-op otherwise.
	 */
	boolean ping();

	/** Closes cleanly. */
	void close();

	/** Drops the TCP connection. */
	void abort();

	/**
	 * @return the underlying WebSocket (close code, state)
	 */
	WsConn conn();

}
