package dev.agenthub.support.connection;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket upgrade's query token (raw or Socket.IO) travels on in a header of its own;
 * nothing else of the request changes.
 */
class HandshakeTokenMoverTests {

	@Test
	void shouldMoveTheQueryTokenIntoItsHeaderAndKeepTheRestOfTheQuery() {
		HttpRequest request = request("/api/ws?dialect=flat&token=abc.def-ghi&subscribe=none&x=a%20b");
		HandshakeTokenMover.move(request);
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		assertThat(uri.path()).isEqualTo("/api/ws");
		assertThat(uri.parameters()).doesNotContainKey("token");
		assertThat(uri.parameters().get("dialect")).containsExactly("flat");
		assertThat(uri.parameters().get("subscribe")).containsExactly("none");
		assertThat(uri.parameters().get("x")).containsExactly("a b");
		assertThat(request.headers().get(HandshakeTokenMover.HEADER)).isEqualTo("abc.def-ghi");
		assertThat(request.headers().contains(HttpHeaderNames.AUTHORIZATION)).isFalse();
	}

	@Test
	void shouldReplaceAMovedTokenTheClientSentItselfAndLeaveItsAuthorizationAlone() {
		HttpRequest request = request("/ws?token=from-query");
		request.headers().set(HandshakeTokenMover.HEADER, "planted");
		request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer from-header");
		HandshakeTokenMover.move(request);
		assertThat(request.uri()).isEqualTo("/ws");
		assertThat(request.headers().getAll(HandshakeTokenMover.HEADER)).containsExactly("from-query");
		assertThat(request.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer from-header");
	}

	@Test
	void shouldLeaveRequestsWithoutATokenAlone() {
		HttpRequest plain = request("/ws?subscribe=none");
		HandshakeTokenMover.move(plain);
		assertThat(plain.uri()).isEqualTo("/ws?subscribe=none");
		assertThat(plain.headers().contains(HandshakeTokenMover.HEADER)).isFalse();
	}

	/**
	 * Before, a Socket.IO upgrade kept its query token in the request line the server
	 * keeps for the socket's life.
	 */
	@Test
	void shouldMoveASocketIoUpgradesTokenAndKeepTheEnginesParameters() {
		HttpRequest socketIo = request("/socket.io/?EIO=4&transport=websocket&token=t&sid=abc");
		HandshakeTokenMover.move(socketIo);
		QueryStringDecoder uri = new QueryStringDecoder(socketIo.uri());
		assertThat(uri.path()).isEqualTo("/socket.io/");
		assertThat(uri.parameters()).containsOnlyKeys("EIO", "transport", "sid");
		assertThat(uri.parameters().get("sid")).containsExactly("abc");
		assertThat(socketIo.headers().get(HandshakeTokenMover.HEADER)).isEqualTo("t");
	}

	@Test
	void shouldDropABlankTokenWithoutInventingAHeader() {
		HttpRequest request = request("/ws?token=");
		HandshakeTokenMover.move(request);
		assertThat(request.uri()).isEqualTo("/ws");
		assertThat(request.headers().contains(HandshakeTokenMover.HEADER)).isFalse();
	}

	private static HttpRequest request(String uri) {
		return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
	}

}
