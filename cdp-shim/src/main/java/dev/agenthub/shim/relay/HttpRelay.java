package dev.agenthub.shim.relay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import dev.agenthub.shim.remote.RemoteChrome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Relays plain HTTP requests ({@code /json/version}, {@code /json}, {@code /json/list},
 * {@code /json/new}, {@code /json/activate/{id}}, {@code /json/close/{id}},
 * {@code /json/protocol}, ...) to the remote Chrome with the same method, path and query.
 * Answers that carry target URLs are rewritten to the shim's address; everything else
 * (the large {@code /json/protocol} included) streams through untouched.
 */
public final class HttpRelay {

	/** Answers that are rewritten are held in memory; they are small lists of targets. */
	static final int MAX_REWRITTEN_BYTES = 32 * 1024 * 1024;

	private static final Set<String> REWRITTEN_PATHS = Set.of("/json", "/json/", "/json/list", "/json/list/",
			"/json/version", "/json/new");

	private final RemoteChrome remote;

	private final String defaultAuthority;

	/**
	 * Creates the relay.
	 * @param remote the real Chrome
	 * @param defaultAuthority the shim's {@code host:port}, used when a request has no
	 * {@code Host} header
	 */
	public HttpRelay(RemoteChrome remote, String defaultAuthority) {
		this.remote = remote;
		this.defaultAuthority = defaultAuthority;
	}

	/**
	 * Relays one request.
	 * @param request the client's request
	 * @param response the client's response
	 * @return completes when the answer is sent
	 */
	public Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String uri = request.uri();
		String host = request.requestHeaders().get(HttpHeaderNames.HOST);
		UrlRewriter rewriter = new UrlRewriter((host == null || host.isBlank()) ? this.defaultAuthority : host.strip());
		boolean rewrite = REWRITTEN_PATHS.contains(pathOf(uri));
		HttpMethod method = request.method();
		return this.remote.http().headers((headers) -> {
			if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
				// Chrome's small HTTP server wants a length, not a chunked empty body.
				headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
			}
		}).request(method).uri(uri).response((remoteResponse, body) -> {
			response.status(remoteResponse.status());
			copyContentType(remoteResponse, response);
			if (!rewrite || remoteResponse.status().code() != 200) {
				return response.send(body.retain()).then();
			}
			return collect(body).flatMap((bytes) -> response.sendByteArray(Mono.just(rewrite(rewriter, bytes))).then());
		}).then().onErrorResume((error) -> {
			if (response.hasSentHeaders()) {
				return Mono.error(error);
			}
			return response.status(HttpResponseStatus.BAD_GATEWAY)
				.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
				.sendString(Mono.just("CDP shim: the remote Chrome at " + this.remote.endpoint().authority()
						+ " did not answer " + uri + ": " + error + "\n"))
				.then();
		});
	}

	static String pathOf(String uri) {
		int query = uri.indexOf('?');
		return (query < 0) ? uri : uri.substring(0, query);
	}

	static byte[] rewrite(UrlRewriter rewriter, byte[] body) {
		JsonNode document;
		try {
			document = RemoteChrome.json().readTree(body);
		}
		catch (JacksonException ex) {
			// Not JSON after all (e.g. an error text): pass it on as Chrome wrote it.
			return body;
		}
		return RemoteChrome.json()
			.writerWithDefaultPrettyPrinter()
			.writeValueAsString(rewriter.rewriteDocument(document))
			.getBytes(StandardCharsets.UTF_8);
	}

	private static Mono<byte[]> collect(ByteBufFlux body) {
		return body.asByteArray().collect(ByteArrayOutputStream::new, (buffer, chunk) -> {
			if (buffer.size() + chunk.length > MAX_REWRITTEN_BYTES) {
				throw new IllegalStateException("answer larger than " + MAX_REWRITTEN_BYTES + " bytes");
			}
			buffer.writeBytes(chunk);
		}).map(ByteArrayOutputStream::toByteArray);
	}

	private static void copyContentType(HttpClientResponse from, HttpServerResponse to) {
		String contentType = from.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
		if (contentType != null) {
			to.header(HttpHeaderNames.CONTENT_TYPE, contentType);
		}
	}

}
