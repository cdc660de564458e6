package dev.agenthub.support.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.broker.Publication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EncodedEventTests {

	@Test
	void recipientsOfOnePublicationShouldShareOneEncodingPerDialect() {
		// a replay wraps each event once per recipient: the forms still belong to the
		// publication, so the second recipient gets the first one's bytes
		Publication publication = DialectTests.publication("tab:output", "{\"tabId\":\"t1\",\"data\":\"hi\"}");
		byte[] first = new EncodedEvent(publication).text(Dialect.HUB);
		assertThat(new EncodedEvent(publication).text(Dialect.HUB)).isSameAs(first);
		byte[] seed003 = new EncodedEvent(publication).text(Dialect.EVENT);
		assertThat(seed003).isNotEqualTo(first);
		assertThat(new EncodedEvent(publication).text(Dialect.EVENT)).isSameAs(seed003);
		AtomicInteger encodings = new AtomicInteger();
		Object frame = new EncodedEvent(publication).encoded(Object.class, (p) -> {
			encodings.incrementAndGet();
			return new Object();
		});
		assertThat(new EncodedEvent(publication).encoded(Object.class, (p) -> {
			encodings.incrementAndGet();
			return new Object();
		})).isSameAs(frame);
		assertThat(encodings).hasValue(1);
	}

	@Test
	void recipientsRacingOnTheFirstEncodingShouldAllGetTheSameFrame() throws Exception {
		int threads = 8;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 200; round++) {
				Publication publication = DialectTests.publication("tab:output", "{\"n\":" + round + "}");
				CountDownLatch start = new CountDownLatch(1);
				List<Future<byte[]>> frames = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					frames.add(pool.submit(() -> {
						start.await();
						return new EncodedEvent(publication).text(Dialect.HUB);
					}));
				}
				start.countDown();
				byte[] first = frames.get(0).get();
				assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(publication.json());
				for (Future<byte[]> frame : frames) {
					assertThat(frame.get()).isSameAs(first);
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

}
