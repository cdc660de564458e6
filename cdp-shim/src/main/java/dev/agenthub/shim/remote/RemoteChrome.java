package dev.agenthub.shim.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import dev.agenthub.shim.cli.VersionBanner;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.resolver.DefaultAddressResolverGroup;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client side of the relay: HTTP and WebSocket connections to the real Chrome, all with
 * the {@code Host} header Chrome accepts and without an {@code Origin} header (Chrome
 * refuses WebSockets from origins it was not told to allow).
 */
public final class RemoteChrome {

	/**
	 * Largest WebSocket frame and aggregated message accepted, either way. Full-page
	 * screenshots arrive as one base64 text frame of many megabytes.
	 */
	public static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RemoteEndpoint endpoint;

	private final HttpClient http;

	private final WebsocketClientSpec webSocketSpec;

	private RemoteChrome(RemoteEndpoint endpoint, InetSocketAddress address, Duration connectTimeout) {
		this.endpoint = endpoint;
		// All URIs are relative to this address. The JDK's resolver is used because the
		// address is already resolved, and Netty's DNS stack would cost hundreds of
		// classes at startup.
		this.http = HttpClient.create()
			.remoteAddress(() -> address)
			.resolver(DefaultAddressResolverGroup.INSTANCE)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, endpoint.hostHeader())
				.set(HttpHeaderNames.USER_AGENT, "cdp-shim/" + VersionBanner.shimVersion()))
			.doOnConnected((connection) -> {
				if (connection.channel().pipeline().get(OriginStripper.NAME) == null) {
					connection.addHandlerLast(OriginStripper.NAME, OriginStripper.INSTANCE);
				}
			});
		this.webSocketSpec = WebsocketClientSpec.builder()
			.maxFramePayloadLength(MAX_MESSAGE_BYTES)
			.handlePing(false)
			.build();
	}

	/**
	 * Resolves the endpoint once and prepares clients for it.
	 * <p>
	 * The connect address carries the name {@code localhost} when {@code CDP_HOST} is a
	 * name: the WebSocket handshake derives its {@code Host} header from the address, and
	 * Chrome refuses any name but {@code localhost} there.
	 * @param endpoint where the remote Chrome is
	 * @param connectTimeout how long a connection attempt may take
	 * @return the remote
	 * @throws UnknownHostException when {@code CDP_HOST} cannot be resolved
	 */
	public static RemoteChrome resolve(RemoteEndpoint endpoint, Duration connectTimeout) throws UnknownHostException {
		InetAddress resolved = InetAddress.getByName(endpoint.host());
		InetAddress connectTo = endpoint.hostIsIpLiteral() ? resolved
				: InetAddress.getByAddress("localhost", resolved.getAddress());
		return new RemoteChrome(endpoint, new InetSocketAddress(connectTo, endpoint.port()), connectTimeout);
	}

	/**
	 * The shared JSON mapper.
	 * @return the mapper
	 */
	public static JsonMapper json() {
		return JSON;
	}

	/**
	 * Where the remote Chrome is.
	 * @return the endpoint
	 */
	public RemoteEndpoint endpoint() {
		return this.endpoint;
	}

	/**
	 * An HTTP client for the remote DevTools server, {@code Host} header set.
	 * @return the client
	 */
	public HttpClient http() {
		return this.http;
	}

	/**
	 * Opens a WebSocket to a path on the remote DevTools server.
	 * @param pathAndQuery e.g. {@code /devtools/page/<id>}
	 * @return the connecting client, to be given a handler
	 */
	public HttpClient.WebsocketReceiver<?> webSocket(String pathAndQuery) {
		return this.http.websocket(this.webSocketSpec).uri(pathAndQuery);
	}

	/**
	 * Asks the remote {@code /json/version}.
	 * @param timeout how long to wait for the answer
	 * @return the browser version, or an error saying why it could not be had
	 */
	public Mono<BrowserVersion> version(Duration timeout) {
		return this.http.get()
			.uri("/json/version")
			.responseSingle((response, body) -> body.asString().defaultIfEmpty("").flatMap((text) -> {
				if (response.status().code() != 200) {
					return Mono.error(new IllegalStateException("/json/version answered " + response.status()
							+ (text.isBlank() ? "" : ": " + text.strip())));
				}
				return Mono.fromCallable(() -> BrowserVersion.from(JSON.readTree(text)));
			}))
			.timeout(timeout,
					Mono.error(() -> new IllegalStateException("no answer within " + timeout.toSeconds() + " s")));
	}

}
