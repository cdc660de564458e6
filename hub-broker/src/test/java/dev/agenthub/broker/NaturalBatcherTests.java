package dev.agenthub.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NaturalBatcherTests {

	static final Duration WAIT = Duration.ofSeconds(5);

	/** Batches run, in order; each one's end is released by the test. */
	final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

	final List<Sinks.One<List<String>>> ends = new CopyOnWriteArrayList<>();

	final NaturalBatcher<Integer, String> batcher = new NaturalBatcher<>(3, (batch) -> {
		this.batches.add(batch);
		Sinks.One<List<String>> end = Sinks.one();
		this.ends.add(end);
		return end.asMono();
	});

	static List<String> answers(List<Integer> batch) {
		return batch.stream().map((i) -> "r" + i).toList();
	}

	@Test
	void shouldRunALoneRequestAtOnceAndAlone() {
		Mono<String> result = this.batcher.submit(1).cache();
		result.subscribe();
		assertThat(this.batches).containsExactly(List.of(1));
		this.ends.get(0).tryEmitValue(List.of("r1"));
		assertThat(result.block(WAIT)).isEqualTo("r1");
		assertThat(this.batcher.waiting()).isZero();
	}

	@Test
	void shouldSendWhatCameDuringABatchTogetherWhenItEndsAtMostMaxBatchAtATime() {
		List<Mono<String>> results = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			Mono<String> r = this.batcher.submit(i).cache();
			r.subscribe();
			results.add(r);
		}
		// the first went alone; the five that came while it was in flight wait
		assertThat(this.batches).containsExactly(List.of(1));
		assertThat(this.batcher.waiting()).isEqualTo(5);
		this.ends.get(0).tryEmitValue(List.of("r1"));
		assertThat(this.batches).containsExactly(List.of(1), List.of(2, 3, 4));
		this.ends.get(1).tryEmitValue(answers(this.batches.get(1)));
		assertThat(this.batches).containsExactly(List.of(1), List.of(2, 3, 4), List.of(5, 6));
		this.ends.get(2).tryEmitValue(answers(this.batches.get(2)));
		assertThat(results).extracting((r) -> r.block(WAIT)).containsExactly("r1", "r2", "r3", "r4", "r5", "r6");
		// idle again: the next request goes at once
		this.batcher.submit(7).subscribe();
		assertThat(this.batches).hasSize(4).last().isEqualTo(List.of(7));
	}

	@Test
	void shouldFailEveryRequestOfAFailedBatchAndGoOnWithTheNext() {
		Mono<String> first = this.batcher.submit(1).cache();
		first.subscribe((r) -> {
		}, (ex) -> {
		});
		Mono<String> second = this.batcher.submit(2).cache();
		second.subscribe();
		this.ends.get(0).tryEmitError(new IllegalStateException("redis down"));
		assertThatThrownBy(() -> first.block(WAIT)).hasMessageContaining("redis down");
		assertThat(this.batches).containsExactly(List.of(1), List.of(2));
		this.ends.get(1).tryEmitValue(List.of("r2"));
		assertThat(second.block(WAIT)).isEqualTo("r2");
	}

	@Test
	void shouldFailABatchThatAnsweredTheWrongNumberOfResults() {
		Mono<String> first = this.batcher.submit(1).cache();
		first.subscribe((r) -> {
		}, (ex) -> {
		});
		this.ends.get(0).tryEmitValue(List.of("r1", "extra"));
		assertThatThrownBy(() -> first.block(WAIT)).hasMessageContaining("answered 2 results");
	}

	@Test
	void shouldFailABatchThatAnsweredNothingOrThrew() {
		NaturalBatcher<Integer, String> empty = new NaturalBatcher<>(3, (batch) -> Mono.empty());
		assertThatThrownBy(() -> empty.submit(1).block(WAIT)).hasMessageContaining("answered nothing");
		NaturalBatcher<Integer, String> throwing = new NaturalBatcher<>(3, (batch) -> {
			throw new IllegalArgumentException("bad batch");
		});
		assertThatThrownBy(() -> throwing.submit(1).block(WAIT)).hasMessageContaining("bad batch");
		// and the batcher is not stuck in flight
		assertThatThrownBy(() -> throwing.submit(2).block(WAIT)).hasMessageContaining("bad batch");
	}

}
