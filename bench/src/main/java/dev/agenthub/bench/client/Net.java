package dev.agenthub.bench.client;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The generator's one shared event loop and its clients: no thread per connection, no
 * pooling for WebSockets (each is its own connection), loopback source addresses chosen
 * per connection so that many connections do not run out of ephemeral ports.
 */
public final class Net {

	private static final LoopResources LOOP = LoopResources.create("bench",
			Integer.getInteger("bench.loopThreads", Math.max(1, Runtime.getRuntime().availableProcessors())), true);

	private Net() {
	}

	/**
	 * A WebSocket-capable client bound to a source address.
	 * @param sourceHost the local address (e.g. {@code 127.0.0.3}), or {@code null}
	 * @return the client
	 */
	public static HttpClient websocket(String sourceHost) {
		HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
			.runOn(LOOP)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.responseTimeout(Duration.ofSeconds(30));
		if (sourceHost != null) {
			client = client.bindAddress(() -> new InetSocketAddress(sourceHost, 0));
		}
		return client;
	}

	/**
	 * @return the WebSocket spec: frames up to 1 MiB (recovery bursts are many small
	 * frames)
	 */
	public static WebsocketClientSpec spec() {
		return WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).handlePing(false).build();
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
