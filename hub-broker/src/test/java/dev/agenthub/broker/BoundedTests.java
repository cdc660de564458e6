package dev.agenthub.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedTests {

	@Test
	void shouldRunAtMostTheMaximumAtOnceAndTheRestInArrivalOrder() {
		Bounded bounded = new Bounded(3);
		List<Sinks.Empty<Void>> gates = new ArrayList<>();
		List<Integer> started = new CopyOnWriteArrayList<>();
		List<Integer> done = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 10; i++) {
			int n = i;
			Sinks.Empty<Void> gate = Sinks.empty();
			gates.add(gate);
			bounded.run(Mono.defer(() -> {
				started.add(n);
				return gate.asMono();
			})).subscribe(null, null, () -> done.add(n));
		}
		assertThat(started).containsExactly(0, 1, 2);
		assertThat(bounded.waiting()).isEqualTo(7);

		gates.get(1).tryEmitEmpty();
		assertThat(started).containsExactly(0, 1, 2, 3);
		assertThat(done).containsExactly(1);
		// a failure frees its place too, and reaches its subscriber
		List<Throwable> failed = new ArrayList<>();
		Bounded failing = new Bounded(1);
		failing.run(Mono.error(new IllegalStateException("boom"))).subscribe(null, failed::add);
		assertThat(failed).hasSize(1);
		assertThat(failing.running()).isZero();

		for (int i = 0; i < gates.size(); i++) {
			gates.get(i).tryEmitEmpty();
		}
		assertThat(started).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(done).hasSize(10);
		assertThat(bounded.running()).isZero();
		assertThat(bounded.waiting()).isZero();
	}

	@Test
	void shouldDropWorkWhoseClientLeftAndFreeThePlaceOfWorkCancelledWhileItRuns() {
		Bounded bounded = new Bounded(1);
		Sinks.Empty<Void> gate = Sinks.empty();
		List<String> started = new CopyOnWriteArrayList<>();
		Disposable first = bounded.run(Mono.defer(() -> {
			started.add("first");
			return gate.asMono();
		})).subscribe();
		// a client that asked, then left while its read waited its turn
		Disposable left = bounded.run(Mono.fromRunnable(() -> started.add("left"))).subscribe();
		bounded.run(Mono.fromRunnable(() -> started.add("third"))).subscribe();
		assertThat(bounded.waiting()).isEqualTo(2);
		left.dispose();
		assertThat(bounded.waiting()).isEqualTo(1);
		// the running one's client leaves too: its place goes to the next
		first.dispose();
		assertThat(started).containsExactly("first", "third");
		assertThat(bounded.running()).isZero();
		assertThat(bounded.waiting()).isZero();
	}

}
