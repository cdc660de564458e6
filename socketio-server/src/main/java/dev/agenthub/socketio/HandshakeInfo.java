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
 * @param query the query parameters, without Engine.IO's own ({@code EIO},
 * {@code transport}, {@code sid}, {@code t}) and without the {@link #CREDENTIAL}
 * @param credential the query's {@link #CREDENTIAL} (or the {@link #CREDENTIAL_HEADER}),
 * held until first checked, or {@code null} when the handshake had none
 * @param remoteAddress the peer, or {@code null} when the server does not know it
 */
public record HandshakeInfo(String sessionId, HttpHeaders headers, MultiValueMap<String, String> query,
		@Nullable QueryCredential credential, @Nullable InetSocketAddress remoteAddress) {

	/**
	 * The query parameter a client may pass its token in (socket.io-client's
	 * {@code query: {token}}); the session does not keep it as a parameter but as a
	 * {@link QueryCredential}.
	 */
	public static final String CREDENTIAL = "token";

	/**
	 * The header a server in front of the engine may move the query's {@link #CREDENTIAL}
	 * to before the request is read (the request line of an upgraded WebSocket is kept
	 * with the socket for its life; its headers are not): read where the query has none,
	 * and never kept among the {@link #headers}.
	 */
	public static final String CREDENTIAL_HEADER = "x-hub-handshake-token";

	/** The first value of a query parameter, or {@code null}. */
	public @Nullable String queryParam(String name) {
		return this.query.getFirst(name);
	}

}
