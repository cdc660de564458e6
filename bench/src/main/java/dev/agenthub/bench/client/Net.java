package dev.agenthub.bench.client;

import java.time.Duration;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The generator's one shared event loop and its clients: no thread per connection, each
 * WebSocket its own plain Netty channel ({@link WsConn}), the publish API's HTTP through
 * a Reactor Netty pool.
 */
public final class Net {

	private static final LoopResources LOOP = LoopResources.create("bench",
			Integer.getInteger("bench.loopThreads", Math.max(1, Runtime.getRuntime().availableProcessors())), true);

	private static final EventLoopGroup CLIENT_GROUP = LOOP.onClient(true);

	private static final Class<? extends SocketChannel> CLIENT_CHANNEL = LOOP.onChannelClass(SocketChannel.class,
			CLIENT_GROUP);

	private Net() {
	}

	/**
	 * @return the shared loop's group, for plain Netty clients ({@link WsConn})
	 */
	static EventLoopGroup clientGroup() {
		return CLIENT_GROUP;
	}

	/**
	 * @return the shared loop's socket channel class
	 */
	static Class<? extends SocketChannel> clientChannel() {
		return CLIENT_CHANNEL;
	}

	/**
	 * A pooled HTTP client for the publish API.
	 * @param maxConnections pool size
	 * @return the client
	 */
	public static HttpClient http(int maxConnections) {
		ConnectionProvider pool = ConnectionProvider.builder("bench-publish")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(100_000)
			.pendingAcquireTimeout(Duration.ofSeconds(60))
			.build();
		return HttpClient.create(pool).runOn(LOOP).responseTimeout(Duration.ofSeconds(30));
	}

}
