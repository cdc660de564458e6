package dev.agenthub.shim.relay;

import dev.agenthub.shim.lifecycle.ShimLifecycle;
import dev.agenthub.shim.remote.RemoteChrome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Relays a DevTools WebSocket ({@code /devtools/browser/<id>},
 * {@code /devtools/page/<id>}, ...) to the same path on the remote Chrome, frame by frame
 * both ways. The remote connection is made first and the client's upgrade is accepted
 * only once it stands, so an unknown target gets Chrome's own HTTP error rather than an
 * open-then-closed socket. Backpressure is end to end: a frame is read from one side only
 * when the other side can take it.
 */
public final class WebSocketRelay {

	private final RemoteChrome remote;

	private final ShimLifecycle lifecycle;

	private final WebsocketServerSpec serverSpec = WebsocketServerSpec.builder()
		.maxFramePayloadLength(RemoteChrome.MAX_MESSAGE_BYTES)
		.handlePing(false)
		.build();

	public WebSocketRelay(RemoteChrome remote, ShimLifecycle lifecycle) {
		this.remote = remote;
		this.lifecycle = lifecycle;
	}

	/**
	 * Relays one WebSocket for as long as both sides keep it open.
	 * @param request the client's upgrade request
	 * @param response the client's response
	 * @return completes when the relay ends
	 */
	public Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String uri = request.uri();
		boolean browserTarget = uri.startsWith("/devtools/browser/");
		return this.remote.webSocket(uri).handle((remoteIn, remoteOut) -> {
			// sendWebsocket completes once the upgrade is done, but the remote connection
			// must live as long as the bridge, so the remote handler waits for it.
			Sinks.Empty<Void> bridged = Sinks.empty();
			return response
				.sendWebsocket((in, out) -> bridge(in, out, remoteIn, remoteOut, browserTarget)
					.doFinally((signal) -> bridged.tryEmitEmpty()), this.serverSpec)
				.then(bridged.asMono());
		}).then().onErrorResume((error) -> {
			if (response.hasSentHeaders()) {
				return Mono.empty();
			}
			HttpResponseStatus status = (error instanceof WebSocketClientHandshakeException handshake
					&& handshake.response() != null) ? handshake.response().status() : HttpResponseStatus.BAD_GATEWAY;
			return response.status(status)
				.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
				.sendString(Mono.just("CDP shim: the remote Chrome at " + this.remote.endpoint().authority()
						+ " refused the WebSocket " + uri + ": " + error.getMessage() + "\n"))
				.then();
		});
	}

	private Mono<Void> bridge(WebsocketInbound in, WebsocketOutbound out, WebsocketInbound remoteIn,
			WebsocketOutbound remoteOut, boolean browserTarget) {
		Mono<Void> toRemote = remoteOut
			.sendObject(in.receiveFrames().filter(WebSocketRelay::isData).doOnNext((frame) -> {
				if (browserTarget && frame instanceof TextWebSocketFrame
						&& CdpMessages.isBrowserClose(frame.content())) {
					this.lifecycle.browserCloseRequested();
				}
			}).map(WebSocketFrame::retain))
			.then()
			.then(Mono.defer(remoteOut::sendClose));
		Mono<Void> toClient = out
			.sendObject(remoteIn.receiveFrames().filter(WebSocketRelay::isData).map(WebSocketFrame::retain))
			.then()
			.then(Mono.defer(out::sendClose));
		// Each direction ends by closing the other side, so both end; waiting for both
		// lets the last frames (the answer to Browser.close) reach the client first. An
		// error on one side is the end of that side, not a failure of the relay.
		return Mono
			.when(toRemote.onErrorResume((error) -> Mono.empty()), toClient.onErrorResume((error) -> Mono.empty()))
			.doFinally((signal) -> this.lifecycle.relayEnded());
	}

	private static boolean isData(WebSocketFrame frame) {
		return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
				|| frame instanceof ContinuationWebSocketFrame;
	}

}
