package dev.agenthub.support.connection;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

class OneAtATimeTests {

	@Test
	void shouldHandleFramesInOrderAndAskForTheNextOnlyWhenOneIsHandled() {
		TestPublisher<String> frames = TestPublisher.create();
		List<String> handled = new CopyOnWriteArrayList<>();
		List<Sinks.Empty<Void>> handlings = new ArrayList<>();
		Mono<Void> all = OneAtATime.handle(frames, (frame) -> {
			Sinks.Empty<Void> done = Sinks.empty();
			handlings.add(done);
			return done.asMono().doOnSuccess((v) -> handled.add(frame));
		});
		StepVerifier.create(all).then(() -> {
			frames.assertMinRequested(1).assertMaxRequested(1);
			frames.next("a");
			// "a" is being handled: nothing more is asked for
			frames.assertMaxRequested(0);
		}).then(() -> {
			handlings.get(0).tryEmitEmpty();
			frames.assertMinRequested(1);
			frames.next("b");
			frames.complete();
			// the frames ended while "b" is handled: not complete yet
		}).expectNoEvent(Duration.ofMillis(50)).then(() -> handlings.get(1).tryEmitEmpty()).verifyComplete();
		assertThat(handled).containsExactly("a", "b");
	}

	@Test
	void shouldKeepOrderWhenHandlingsCompleteOnOtherThreads() {
		List<Integer> handled = new CopyOnWriteArrayList<>();
		Mono<Void> all = OneAtATime.handle(reactor.core.publisher.Flux.range(0, 500),
				(n) -> Mono.delay(Duration.ofNanos((n % 7) * 1000L), Schedulers.parallel())
					.doOnNext((tick) -> handled.add(n))
					.then());
		StepVerifier.create(all).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(handled).hasSize(500).isSorted();
	}

	@Test
	void shouldEndWithTheFirstErrorOfAHandlingAndStopReading() {
		TestPublisher<String> frames = TestPublisher.create();
		Mono<Void> all = OneAtATime.handle(frames,
				(frame) -> "bad".equals(frame) ? Mono.error(new IllegalStateException("bad frame")) : Mono.empty());
		StepVerifier.create(all).then(() -> frames.next("good", "bad")).expectErrorMessage("bad frame").verify();
		frames.assertCancelled();
	}

	@Test
	void shouldEndWhenTheHandlerThrows() {
		TestPublisher<String> frames = TestPublisher.create();
		Mono<Void> all = OneAtATime.handle(frames, (frame) -> {
			throw new IllegalArgumentException("cannot handle " + frame);
		});
		StepVerifier.create(all).then(() -> frames.next("x")).expectErrorMessage("cannot handle x").verify();
		frames.assertCancelled();
	}

	@Test
	void shouldCancelTheFramesAndTheHandlingUnderWayWhenCancelled() {
		TestPublisher<String> frames = TestPublisher.create();
		boolean[] handlingCancelled = { false };
		Disposable all = OneAtATime.handle(frames, (frame) -> Mono.<Void>never().doOnCancel(() -> {
			handlingCancelled[0] = true;
		})).subscribe();
		frames.next("a");
		all.dispose();
		frames.assertCancelled();
		assertThat(handlingCancelled[0]).isTrue();
	}

	@Test
	void shouldForgetAFrameOnceItIsHandled() throws InterruptedException {
		// concatMap keeps the last frame until the next (a handling shaped as the
		// connection's: a gate, then the frame's own work): an idle connection's last
		// message for its whole life
		TestPublisher<Object> frames = TestPublisher.create();
		Object frame = new byte[1024];
		WeakReference<Object> forgotten = new WeakReference<>(frame);
		Disposable all = OneAtATime
			.handle(frames, (received) -> Mono.empty().then(Mono.defer(() -> Mono.fromRunnable(received::hashCode))))
			.subscribe();
		frames.next(frame);
		frame = null;
		for (int i = 0; i < 20 && forgotten.get() != null; i++) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(forgotten.get()).isNull();
		all.dispose();
	}

	@Test
	void shouldNotRecurseWhenFramesAreDeliveredWithinTheRequestAndHandledAtOnce() {
		// a source that emits inside request(), like a transport with frames buffered;
		// handled at once, each frame would otherwise ask for the next one level deeper
		int count = 200_000;
		int[] handled = { 0 };
		Publisher<Integer> eager = (subscriber) -> subscriber.onSubscribe(new Subscription() {

			private int next;

			@Override
			public void request(long n) {
				for (long i = 0; i < n && this.next < count; i++) {
					subscriber.onNext(this.next++);
				}
				if (this.next == count) {
					this.next++;
					subscriber.onComplete();
				}
			}

			@Override
			public void cancel() {
			}

		});
		StepVerifier.create(OneAtATime.handle(eager, (n) -> Mono.fromRunnable(() -> handled[0]++)))
			.expectComplete()
			.verify(Duration.ofSeconds(30));
		assertThat(handled[0]).isEqualTo(count);
	}

}
