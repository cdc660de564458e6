package dev.agenthub.support.connection;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

/**
 * What an ingress may read of a raw WebSocket's handshake request: its path, its query
 * and its headers, while the upgrade is decided. Nothing of it is kept with the
 * connection.
 */
public final class Handshake {

	private final String path;

	private final Map<String, List<String>> query;

	private final HttpHeaders headers;

	private Handshake(String uri, HttpHeaders headers) {
		QueryStringDecoder decoder = new QueryStringDecoder(uri);
		this.path = decoder.path();
		this.query = decoder.parameters();
		this.headers = headers;
	}

	/** The handshake of an upgrade request that Reactor Netty received. */
	public static Handshake of(HttpServerRequest request) {
		return new Handshake(request.uri(), request.requestHeaders());
	}

	/** The decoded path, without the query. */
	public String path() {
		return this.path;
	}

	/** The first value of a query parameter, or {@code null}. */
	public @Nullable String query(String name) {
		List<String> values = this.query.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * The token it carries: {@code ?token=} (moved to a header of its own by
	 * {@link HandshakeTokenMover} before the request is read, so found there), or
	 * {@code Authorization: Bearer}; {@code null} when it has none.
	 */
	public @Nullable String token() {
		String query = query(HandshakeTokenMover.TOKEN);
		if (query != null && !query.isBlank()) {
			return query;
		}
		String moved = header(HandshakeTokenMover.HEADER);
		if (moved != null && !moved.isBlank()) {
			return moved;
		}
		String authorization = header(HttpHeaderNames.AUTHORIZATION.toString());
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return authorization.substring(7).trim();
		}
		return null;
	}

	/** The first value of a header (any case), or {@code null}. */
	public @Nullable String header(String name) {
		return this.headers.get(name);
	}

}
