package dev.agenthub.bench.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One client WebSocket on the shared event loop. Text frames go to a listener as
 * {@link ByteBuf}s (valid only during the call, so listeners scan bytes instead of
 * decoding JSON); outbound text goes through a small bounded queue.
 */
public final class WsConn {

	private final Sinks.Many<String> outbound;

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private volatile Disposable connection;

	private volatile int closeCode = -1;

	private WsConn(int queue) {
		this.outbound = Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(queue).get());
	}

	/**
	 * Opens a connection; frames reach {@code listener} on an event-loop thread.
	 * @param uri the {@code ws://} address
	 * @param sourceHost local address to bind, or {@code null}
	 * @param listener text frame listener
	 * @return the connection (its future {@link #closed()} completes with the close code)
	 */
	public static WsConn open(URI uri, String sourceHost, BiConsumer<WsConn, ByteBuf> listener) {
		return open(uri, sourceHost, listener, 64);
	}

	/**
	 * Opens a connection with an outbound queue of {@code queue} frames (a streaming
	 * agent queues more than a browser, as agent clients do).
	 * @param uri the {@code ws://} address
	 * @param sourceHost local address to bind, or {@code null}
	 * @param listener text frame listener
	 * @param queue outbound frames queued at most
	 * @return the connection
	 */
	public static WsConn open(URI uri, String sourceHost, BiConsumer<WsConn, ByteBuf> listener, int queue) {
		WsConn conn = new WsConn(queue);
		conn.connection = Net.websocket(sourceHost).websocket(Net.spec()).uri(uri).handle((in, out) -> {
			in.receiveCloseStatus().subscribe((status) -> conn.closeCode = status.code());
			Mono<Void> receive = in.aggregateFrames(1 << 20).receiveFrames().doOnNext((frame) -> {
				if (frame instanceof TextWebSocketFrame) {
					listener.accept(conn, frame.content());
				}
			}).then();
			Mono<Void> send = out.sendString(conn.outbound.asFlux(), StandardCharsets.UTF_8).then();
			return Mono.firstWithSignal(receive, send);
		})
			.doFinally((signal) -> conn.closed.complete(conn.closeCode))
			.subscribe(null, (error) -> conn.closed.complete(-2));
		return conn;
	}

	/**
	 * Queues a text frame.
	 * @param text the frame
	 * @return whether it was queued (false when the queue is full or the socket closed)
	 */
	public synchronized boolean send(String text) {
		return this.outbound.tryEmitNext(text).isSuccess();
	}

	/**
	 * Closes with 1000 (completing the outbound side makes Reactor Netty send the close).
	 */
	public synchronized void close() {
		this.outbound.tryEmitComplete();
	}

	/** Drops the TCP connection without a close handshake. */
	public void abort() {
		Disposable c = this.connection;
		if (c != null) {
			c.dispose();
		}
	}

	/**
	 * @return completes with the close code (-1 none seen, -2 connection error)
	 */
	public CompletableFuture<Integer> closed() {
		return this.closed;
	}

}
