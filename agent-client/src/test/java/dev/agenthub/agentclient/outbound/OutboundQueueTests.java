package dev.agenthub.agentclient.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundQueueTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static long later() {
		return System.nanoTime() + Duration.ofHours(2).toNanos();
	}

	@Test
	void shouldCoalesceOutputOfOneTabIntoOneChunkUntilItsLingerPassed() {
		OutboundQueue queue = new OutboundQueue(100, 1 << 20, 1000, Duration.ofHours(1));
		queue.offerOutput(ChunkKind.TAB_OUTPUT, "t1", "stdout", false, "a");
		queue.offerOutput(ChunkKind.TAB_OUTPUT, "t1", "stdout", false, "b");

		assertThat(queue.size()).isEqualTo(1);
		assertThat(queue.pollReady(System.nanoTime())).isNull();
		assertThat(queue.headDeadlineNanos()).isPositive();
		JsonNode message = JSON.readTree(((OutputChunk) queue.pollReady(later())).encode(JSON));
		assertThat(message.path("type").asString()).isEqualTo("tab:output");
		assertThat(message.path("data").path("tabId").asString()).isEqualTo("t1");
		assertThat(message.path("data").path("data").asString()).isEqualTo("ab");
		assertThat(message.path("data").path("stream").asString()).isEqualTo("stdout");
	}

	/**
	 * A pump that waits for room loses nothing, however much faster it writes than the
	 * queue is drained: 2,000 pieces of 100 characters through a queue of 1,000 bytes
	 * (the same without waiting dropped most of them).
	 */
	@Test
	void shouldLoseNoOutputOfAProducerThatWaitsForRoom() throws Exception {
		OutboundQueue queue = new OutboundQueue(100, 1000, 100, Duration.ZERO);
		StringBuilder sent = new StringBuilder();
		Thread producer = Thread.ofVirtual().start(() -> {
			for (int i = 0; i < 2000; i++) {
				String piece = String.format("%099d%n", i).substring(0, 100);
				try {
					assertThat(queue.awaitRoom(piece.length(), Duration.ofSeconds(10))).isTrue();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
				queue.offerOutput(ChunkKind.TASK_OUTPUT, "k", null, false, piece);
				sent.append(piece);
			}
		});
		StringBuilder received = new StringBuilder();
		while (producer.isAlive() || queue.size() > 0) {
			OutboundEntry entry = queue.pollReady(later());
			if (entry == null) {
				Thread.sleep(0, 200_000);
				continue;
			}
			received.append(JSON.readTree(((OutputChunk) entry).encode(JSON)).path("data").path("output").asString());
		}
		producer.join();
		assertThat(queue.dropped()).isZero();
		assertThat(received.toString()).isEqualTo(sent.toString());
	}

	@Test
	void awaitingRoomShouldGiveUpAfterItsLongestWait() throws InterruptedException {
		OutboundQueue queue = new OutboundQueue(100, 1000, 1000, Duration.ZERO);
		queue.offerOutput(ChunkKind.TASK_OUTPUT, "k", null, false, "x".repeat(600));
		long start = System.nanoTime();
		assertThat(queue.awaitRoom(100, Duration.ofMillis(200))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
		queue.pollReady(later());
		assertThat(queue.awaitRoom(100, Duration.ofMillis(200))).isTrue();
	}

	@Test
	void shouldStartANewChunkWhenTheStreamChangesSoOrderIsKept() {
		OutboundQueue queue = new OutboundQueue(100, 1 << 20, 1000, Duration.ZERO);
		queue.offerOutput(ChunkKind.TAB_OUTPUT, "t1", "stdout", false, "1");
		queue.offerOutput(ChunkKind.TAB_OUTPUT, "t1", "stderr", false, "2");
		queue.offerOutput(ChunkKind.TAB_OUTPUT, "t1", "stdout", false, "3");

		assertThat(drainTexts(queue)).containsExactly("stdout:1", "stderr:2", "stdout:3");
	}

	@Test
	void shouldNotAppendOutputBehindALaterMessage() {
		OutboundQueue queue = new OutboundQueue(100, 1 << 20, 1000, Duration.ofHours(1));
		queue.offerOutput(ChunkKind.TASK_OUTPUT, "k", null, false, "before");
		queue.offer(new OutboundEntry.Encoded("{\"type\":\"status\"}", false));
		queue.offerOutput(ChunkKind.TASK_OUTPUT, "k", null, false, "after");

		assertThat(queue.size()).isEqualTo(3);
		// the first chunk was closed by the status, so it is ready at once
		assertThat(queue.pollReady(System.nanoTime())).isInstanceOf(OutputChunk.class);
		assertThat(queue.pollReady(System.nanoTime())).isInstanceOf(OutboundEntry.Encoded.class);
	}

	@Test
	void shouldSplitTextLargerThanTheChunkBoundAndReleaseFullChunksAtOnce() {
		OutboundQueue queue = new OutboundQueue(100, 1 << 20, 4, Duration.ofHours(1));
		queue.offerOutput(ChunkKind.TAB_OUTPUT, "t1", null, false, "abcdefghij");

		List<String> texts = new ArrayList<>();
		OutboundEntry entry;
		while ((entry = queue.pollReady(System.nanoTime())) != null) {
			texts.add(JSON.readTree(((OutputChunk) entry).encode(JSON)).path("data").path("data").asString());
		}
		assertThat(texts).containsExactly("abcd", "efgh");
		assertThat(queue.size()).isEqualTo(1);
		assertThat(((OutputChunk) queue.pollReady(later())).encode(JSON)).contains("\"ij\"");
	}

	@Test
	void shouldDropLossyMessagesWhenFullAndCountThem() {
		OutboundQueue queue = new OutboundQueue(3, 1 << 20, 100, Duration.ZERO);
		for (int i = 0; i < 5; i++) {
			queue.offer(new OutboundEntry.Encoded("stats" + i, true));
		}
		assertThat(queue.size()).isEqualTo(3);
		assertThat(queue.dropped()).isEqualTo(2);

		assertThat(queue.offer(new OutboundEntry.Encoded("status", false))).isTrue();
		assertThat(queue.dropped()).isEqualTo(3);
		List<String> left = new ArrayList<>();
		OutboundEntry entry;
		while ((entry = queue.pollReady(System.nanoTime())) != null) {
			left.add(((OutboundEntry.Encoded) entry).json());
		}
		assertThat(left).containsExactly("stats1", "stats2", "status");
	}

	@Test
	void shouldDropANonLossyMessageOnlyWhenNothingLossyIsLeftAndHoldTheByteBound() {
		OutboundQueue queue = new OutboundQueue(100, 20, 100, Duration.ZERO);
		assertThat(queue.offer(new OutboundEntry.Encoded("0123456789", false))).isTrue();
		assertThat(queue.offer(new OutboundEntry.Encoded("0123456789", false))).isTrue();
		assertThat(queue.offer(new OutboundEntry.Encoded("x", false))).isFalse();

		assertThat(queue.bytes()).isEqualTo(20);
		assertThat(queue.dropped()).isEqualTo(1);
	}

	private static List<String> drainTexts(OutboundQueue queue) {
		List<String> texts = new ArrayList<>();
		OutboundEntry entry;
		while ((entry = queue.pollReady(later())) != null) {
			JsonNode data = JSON.readTree(((OutputChunk) entry).encode(JSON)).path("data");
			texts.add(data.path("stream").asString() + ":" + data.path("data").asString());
		}
		return texts;
	}

}
