package dev.agenthub.integration.shim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.connection.Admission;
import dev.agenthub.support.web.ApiError;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.channel.AbortedException;

/**
 * The downloads of the shim in progress on this node ({@code GET /api/cdp-shim/bundle},
 * open to anyone by default): what each may hold, how long it may stall, how many there
 * may be.
 * <ul>
 * <li>A download's bytes go out in pieces of {@link #PIECE}. Reactor Netty keeps up to
 * 128 writes of a response in flight whatever its client reads, so the piece bounds what
 * a download holds beyond its socket's buffers (2 MB; in the store's chunks of 256 KB it
 * was the whole release — a client that read nothing held 32 MB of a 32 MB release, and a
 * few hundred such clients gigabytes).</li>
 * <li>A download whose client has taken nothing for {@code hub.shim.download-stall} is
 * ended (its connection closed: {@code curl} reports a partial transfer and
 * retries).</li>
 * <li>At most {@code hub.shim.max-downloads} are in progress; another is refused with 503
 * and {@code Retry-After}, before anything is read. {@code HEAD} and the other shim
 * endpoints are not counted.</li>
 * </ul>
 */
final class Downloads implements WebFilter {

	static final String PATH = "/api/cdp-shim/bundle";

	/** The size of the pieces a download is written in. */
	static final int PIECE = 16 * 1024;

	static final String ACTIVE = "hub.shim.downloads.active";

	private final AtomicInteger active = new AtomicInteger();

	private final int max;

	private final Duration stall;

	private final ShimMetrics metrics;

	Downloads(int max, Duration stall, ShimMetrics metrics, MeterRegistry registry) {
		this.max = max;
		this.stall = stall;
		this.metrics = metrics;
		Gauge.builder(ACTIVE, this.active, AtomicInteger::get)
			.description("shim downloads in progress on this node")
			.register(registry);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!HttpMethod.GET.equals(exchange.getRequest().getMethod())
				|| !PATH.equals(exchange.getRequest().getPath().value())) {
			return chain.filter(exchange);
		}
		if (this.active.incrementAndGet() > this.max) {
			this.active.decrementAndGet();
			this.metrics.download(HttpStatus.SERVICE_UNAVAILABLE.value());
			long retryAfter = Admission.retryAfterSeconds();
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
			return ApiError.write(response, ErrorCode.UNAVAILABLE,
					"this node serves " + this.max + " downloads at once; retry after " + retryAfter + " s");
		}
		return chain.filter(exchange).doFinally((signal) -> this.active.decrementAndGet());
	}

	/**
	 * A download's body: the store's buffers in pieces of {@link #PIECE}, taken one
	 * buffer at a time, and ended once its client has taken nothing for the stall
	 * timeout.
	 */
	Flux<DataBuffer> paced(Flux<DataBuffer> body, ServerHttpResponse response) {
		return body.concatMapIterable(Downloads::pieces, 1).timeout(this.stall, Flux.defer(() -> {
			this.metrics.stalled();
			// Ending the body does not end the response: Reactor Netty waits for the
			// writes in flight, which a client that reads nothing never completes.
			// Closing the connection fails them.
			if (ServerHttpResponseDecorator.getNativeResponse(response) instanceof Connection connection) {
				connection.dispose();
			}
			// a lost client's error, not logged as a failure
			return Flux.error(new AbortedException("download stalled for " + this.stall));
		}));
	}

	/**
	 * The buffer split into pieces of at most {@link #PIECE} bytes, sharing its memory.
	 */
	static List<DataBuffer> pieces(DataBuffer buffer) {
		List<DataBuffer> pieces = new ArrayList<>(buffer.readableByteCount() / PIECE + 1);
		while (buffer.readableByteCount() > PIECE) {
			pieces.add(buffer.split(buffer.readPosition() + PIECE));
		}
		pieces.add(buffer);
		return pieces;
	}

}
