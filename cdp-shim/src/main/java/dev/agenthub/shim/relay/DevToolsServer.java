package dev.agenthub.shim.relay;

import java.time.Duration;

import dev.agenthub.shim.lifecycle.ShimLifecycle;
import dev.agenthub.shim.remote.RemoteChrome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The shim's DevTools endpoint on {@code --remote-debugging-address} (default
 * {@code 127.0.0.1}) and {@code --remote-debugging-port}: WebSocket upgrades under
 * {@code /devtools/} go to the {@link WebSocketRelay}, everything else to the
 * {@link HttpRelay}, both behind Chrome's own {@link HostPolicy}.
 */
public final class DevToolsServer {

	private final DisposableServer server;

	private DevToolsServer(DisposableServer server) {
		this.server = server;
	}

	/**
	 * Binds the server.
	 * @param address the address to bind
	 * @param port the port, {@code 0} for a free one
	 * @param remote the real Chrome
	 * @param policy the Host/Origin guards
	 * @param lifecycle told about {@code Browser.close} and relays ending
	 * @return the bound server
	 */
	public static DevToolsServer start(String address, int port, RemoteChrome remote, HostPolicy policy,
			ShimLifecycle lifecycle) {
		Router router = new Router(remote, policy, lifecycle);
		DisposableServer server = HttpServer.create()
			.host(address)
			.port(port)
			.handle(router::route)
			.bindNow(Duration.ofSeconds(10));
		router.defaultAuthority(authority(address, server.port()));
		return new DevToolsServer(server);
	}

	/**
	 * The bound port.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * Stops accepting and closes open relays.
	 */
	public void stop() {
		this.server.disposeNow(Duration.ofSeconds(2));
	}

	static String authority(String address, int port) {
		return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
	}

	private static final class Router {

		private final RemoteChrome remote;

		private final HostPolicy policy;

		private final WebSocketRelay webSockets;

		private volatile HttpRelay http;

		Router(RemoteChrome remote, HostPolicy policy, ShimLifecycle lifecycle) {
			this.remote = remote;
			this.policy = policy;
			this.webSockets = new WebSocketRelay(remote, lifecycle);
		}

		void defaultAuthority(String authority) {
			this.http = new HttpRelay(this.remote, authority);
		}

		Mono<Void> route(HttpServerRequest request, HttpServerResponse response) {
			if (!this.policy.hostAllowed(request.requestHeaders().get(HttpHeaderNames.HOST))) {
				return refuse(response, HttpResponseStatus.INTERNAL_SERVER_ERROR,
						"Host header is specified and is not an IP address or localhost.");
			}
			if (!isUpgrade(request)) {
				return this.http.handle(request, response);
			}
			String origin = request.requestHeaders().get(HttpHeaderNames.ORIGIN);
			if (!this.policy.originAllowed(origin)) {
				return refuse(response, HttpResponseStatus.FORBIDDEN,
						"Rejected an incoming WebSocket connection from the " + origin
								+ " origin. Use the command line flag --remote-allow-origins=" + origin
								+ " to allow connections from this origin or --remote-allow-origins=* to allow all origins.");
			}
			if (!request.uri().startsWith("/devtools/")) {
				return refuse(response, HttpResponseStatus.NOT_FOUND, "No such target id: " + request.uri());
			}
			return this.webSockets.handle(request, response);
		}

		private static boolean isUpgrade(HttpServerRequest request) {
			String upgrade = request.requestHeaders().get(HttpHeaderNames.UPGRADE);
			return upgrade != null && upgrade.strip().equalsIgnoreCase("websocket");
		}

		private static Mono<Void> refuse(HttpServerResponse response, HttpResponseStatus status, String message) {
			return response.status(status)
				.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
				.sendString(Mono.just(message))
				.then();
		}

	}

}
