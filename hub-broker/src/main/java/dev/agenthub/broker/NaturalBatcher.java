package dev.agenthub.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs requests in batches without waiting to fill them ("natural" batching): a request
 * that finds nothing in flight starts at once, alone; requests that come while a batch is
 * in flight wait and go together, up to {@code maxBatch}, as soon as it ends. One batch
 * is in flight at a time, so under a crowd of requests (a reconnect storm: thousands of
 * presence writes or channel positions) Redis sees one call per round trip instead of one
 * per request, and a lone request waits for nobody.
 * <p>
 * What waits is bounded by the callers: a connection has at most one presence write and
 * one position read per implicit channel in flight, and admission bounds the connections.
 *
 * @param <Q> a request
 * @param <R> its result
 */
public final class NaturalBatcher<Q, R> {

	private final int maxBatch;

	/** Runs a batch; answers one result per request, in order. */
	private final Function<List<Q>, Mono<List<R>>> run;

	private final ArrayDeque<Waiting<Q, R>> waiting = new ArrayDeque<>();

	private boolean inFlight;

	/**
	 * @param maxBatch requests per batch at most
	 * @param run runs a batch, answering one result per request, in order
	 */
	public NaturalBatcher(int maxBatch, Function<List<Q>, Mono<List<R>>> run) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be positive");
		}
		this.maxBatch = maxBatch;
		this.run = run;
	}

	/** The request's result, once the batch it went in ran. */
	public Mono<R> submit(Q request) {
		return Mono.create((sink) -> {
			List<Waiting<Q, R>> batch;
			synchronized (this.waiting) {
				this.waiting.add(new Waiting<>(request, sink));
				if (this.inFlight) {
					return;
				}
				this.inFlight = true;
				batch = take();
			}
			start(batch);
		});
	}

	/** Requests waiting for the batch in flight to end (for tests). */
	public int waiting() {
		synchronized (this.waiting) {
			return this.waiting.size();
		}
	}

	private List<Waiting<Q, R>> take() {
		List<Waiting<Q, R>> batch = new ArrayList<>(Math.min(this.maxBatch, this.waiting.size()));
		while (batch.size() < this.maxBatch && !this.waiting.isEmpty()) {
			batch.add(this.waiting.poll());
		}
		return batch;
	}

	private void start(List<Waiting<Q, R>> batch) {
		List<Q> requests = new ArrayList<>(batch.size());
		batch.forEach((w) -> requests.add(w.request));
		Mono<List<R>> ran;
		try {
			ran = this.run.apply(requests);
		}
		catch (RuntimeException ex) {
			ran = Mono.error(ex);
		}
		ran.switchIfEmpty(Mono.error(() -> new IllegalStateException("a batch answered nothing")))
			.subscribe((results) -> finish(batch, results, null), (ex) -> finish(batch, null, ex));
	}

	private void finish(List<Waiting<Q, R>> batch, List<R> results, Throwable error) {
		if (error == null && results.size() != batch.size()) {
			error = new IllegalStateException(
					"a batch of " + batch.size() + " requests answered " + results.size() + " results");
		}
		for (int i = 0; i < batch.size(); i++) {
			if (error != null) {
				batch.get(i).sink.error(error);
			}
			else {
				batch.get(i).sink.success(results.get(i));
			}
		}
		List<Waiting<Q, R>> next;
		synchronized (this.waiting) {
			if (this.waiting.isEmpty()) {
				this.inFlight = false;
				return;
			}
			next = take();
		}
		start(next);
	}

	private record Waiting<Q, R>(Q request, MonoSink<R> sink) {

	}

}
