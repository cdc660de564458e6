package dev.agenthub.shim.remote;

import java.time.Duration;

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

	public RemoteChrome(RemoteEndpoint endpoint, Duration connectTimeout) {
		this.endpoint = endpoint;
		// The JDK's resolver: the shim resolves one name once, and Netty's DNS stack
		// would cost hundreds of classes at startup.
		this.http = HttpClient.create()
			.resolver(DefaultAddressResolverGroup.INSTANCE)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, endpoint.hostHeader()));
		this.webSocketSpec = WebsocketClientSpec.builder()
			.maxFramePayloadLength(MAX_MESSAGE_BYTES)
			.handlePing(false)
			.build();
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
		return this.http.websocket(this.webSocketSpec).uri(this.endpoint.webSocketUrl(pathAndQuery));
	}

	/**
	 * Asks the remote {@code /json/version}.
	 * @param timeout how long to wait for the answer
	 * @return the browser version, or an error saying why it could not be had
	 */
	public Mono<BrowserVersion> version(Duration timeout) {
		return this.http.get()
			.uri(this.endpoint.httpUrl("/json/version"))
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
