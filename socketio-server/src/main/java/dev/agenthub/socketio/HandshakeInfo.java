package dev.agenthub.socketio;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * What the server knew of the client when its Engine.IO session opened: the headers and
 * query of the first HTTP request (or of the direct WebSocket handshake), and the peer
 * address. Read-only.
 *
 * @param sessionId the Engine.IO session id
 * @param headers the request headers (read-only)
 * @param query the query parameters (e.g. {@code token} when a client passes it there),
 * without Engine.IO's own ({@code EIO}, {@code transport}, {@code sid}, {@code t})
 * @param remoteAddress the peer, or {@code null} when the server does not know it
 */
public record HandshakeInfo(String sessionId, HttpHeaders headers, MultiValueMap<String, String> query,
		@Nullable InetSocketAddress remoteAddress) {

	/** The first value of a query parameter, or {@code null}. */
	public @Nullable String queryParam(String name) {
		return this.query.getFirst(name);
	}

}
