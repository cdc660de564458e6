package dev.agenthub.testsupport;

import java.time.Duration;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * HTTP clients for a service under test on this machine. Each request opens its own
 * connection: a keep-alive connection pooled by one test (Reactor Netty's pool is global
 * to the JVM) is never what a later test's first request waits on.
 */
public final class TestHttp {

	private TestHttp() {
	}

	/** A client of {@code http://127.0.0.1:<port>} answering within {@code timeout}. */
	public static WebTestClient client(int port, Duration timeout) {
		return builder(port, timeout).build();
	}

	/**
	 * {@code GET path} with a bearer token, expecting 200 and a JSON body.
	 * @return the body
	 */
	public static JsonNode getJson(int port, Duration timeout, String path, String token) {
		return getJson(client(port, timeout), path, token);
	}

	/**
	 * The same for an answer of up to {@code maxBytes} (the client's default takes 256
	 * KB).
	 * @return the body
	 */
	public static JsonNode getJson(int port, Duration timeout, String path, String token, int maxBytes) {
		return getJson(
				builder(port, timeout).codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxBytes)).build(),
				path, token);
	}

	private static JsonNode getJson(WebTestClient client, String path, String token) {
		return client.get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.header("Authorization", "Bearer " + token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** The same, to configure further. */
	public static WebTestClient.Builder builder(int port, Duration timeout) {
		return WebTestClient
			.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(timeout);
	}

}
