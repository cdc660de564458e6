package dev.agenthub.shim.remote;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A connection of the shim's own to the remote browser target that exists only to notice
 * when the remote Chrome goes away: it closes when Chrome exits or crashes, and a
 * {@code Browser.getVersion} every few seconds that stays unanswered exposes a network
 * that silently stopped carrying packets (a TCP connection would not notice for minutes).
 */
public final class RemoteWatch {

	static final Duration PROBE_EVERY = Duration.ofSeconds(5);

	static final Duration SILENCE_LIMIT = Duration.ofSeconds(20);

	private final RemoteChrome remote;

	private final String browserPath;

	public RemoteWatch(RemoteChrome remote, String browserPath) {
		this.remote = remote;
		this.browserPath = browserPath;
	}

	/**
	 * Connects and starts watching.
	 * @param onLost called once, with a description, when the remote is lost after the
	 * connection was established
	 * @return completes when connected (errors when the connection cannot be made), and a
	 * handle that stops the watch
	 */
	public Mono<Disposable> start(Consumer<String> onLost) {
		Sinks.Empty<Void> connected = Sinks.empty();
		Disposable watch = this.remote.webSocket(this.browserPath).handle((in, out) -> {
			connected.tryEmitEmpty();
			Flux<TextWebSocketFrame> probes = Flux.interval(Duration.ZERO, PROBE_EVERY)
				.map((n) -> new TextWebSocketFrame("{\"id\":" + (n + 1) + ",\"method\":\"Browser.getVersion\"}"));
			Mono<Void> send = out.sendObject(probes).then();
			Mono<Void> receive = in.receive().timeout(SILENCE_LIMIT).then();
			return Mono.firstWithSignal(send, receive);
		}).then().subscribe((ignored) -> {
		}, (error) -> {
			if (!connected.tryEmitError(error).isSuccess()) {
				onLost.accept(describe(error));
			}
		}, () -> onLost.accept("the connection to the remote browser closed (" + this.remote.endpoint().authority()
				+ "); did the remote Chrome exit?"));
		return connected.asMono().thenReturn(watch);
	}

	private String describe(Throwable error) {
		String where = this.remote.endpoint().authority();
		if (error instanceof TimeoutException) {
			return "the remote Chrome at " + where + " stopped answering (nothing for " + SILENCE_LIMIT.toSeconds()
					+ " s)";
		}
		return "lost the connection to the remote Chrome at " + where + ": " + error;
	}

}
