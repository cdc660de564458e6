package dev.agenthub.shim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * A minimal CDP client on the JDK's own WebSocket client, which, like Puppeteer and
 * Playwright, sends no {@code Origin} header. Messages are reassembled from fragments.
 */
final class CdpWebSocket implements AutoCloseable {

	private final WebSocket socket;

	private final BlockingQueue<String> messages;

	private final CompletableFuture<Integer> closed;

	private CdpWebSocket(WebSocket socket, BlockingQueue<String> messages, CompletableFuture<Integer> closed) {
		this.socket = socket;
		this.messages = messages;
		this.closed = closed;
	}

	static CdpWebSocket connect(String url) throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		CompletableFuture<Integer> closed = new CompletableFuture<>();
		WebSocket.Listener listener = new WebSocket.Listener() {

			private final StringBuilder partial = new StringBuilder();

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				this.partial.append(data);
				if (last) {
					messages.add(this.partial.toString());
					this.partial.setLength(0);
				}
				webSocket.request(1);
				return null;
			}

			@Override
			public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
				closed.complete(statusCode);
				return null;
			}

			@Override
			public void onError(WebSocket webSocket, Throwable error) {
				closed.complete(-1);
			}

		};
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.buildAsync(URI.create(url), listener)
			.get(20, TimeUnit.SECONDS);
		return new CdpWebSocket(socket, messages, closed);
	}

	/** Sends a command and waits for the message answering its {@code id}. */
	String call(int id, String command, Duration timeout) throws Exception {
		this.socket.sendText(command, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			String message = this.messages.poll(50, TimeUnit.MILLISECONDS);
			if (message != null && message.startsWith("{\"id\":" + id + ",")) {
				return message;
			}
		}
		return fail("no answer to %s within %s", command, timeout);
	}

	boolean awaitClosed(Duration timeout) throws InterruptedException {
		try {
			this.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.socket.abort();
	}

}
