package dev.agenthub.bench.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTests {

	private static ByteBuf frame(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
	}

	@Test
	void readsTypeOffsetEpochAndEmbeddedTimestamp() {
		ByteBuf f = frame("{\"type\":\"bench\",\"channel\":\"workspace:w1\",\"offset\":42,\"epoch\":\"e-1\","
				+ "\"data\":{\"ts\":1795321750123456,\"seq\":3,\"pad\":\"xx\"},\"timestamp\":\"2026-11-22T04:00:00.000Z\"}");
		assertThat(Frames.type(f)).isEqualTo("bench");
		assertThat(Frames.longAfter(f, Frames.OFFSET)).isEqualTo(42);
		assertThat(Frames.stringAfter(f, Frames.EPOCH)).isEqualTo("e-1");
		assertThat(Frames.longAfter(f, Frames.TS)).isEqualTo(1795321750123456L);
	}

	@Test
	void missingKeysAreReportedAsAbsent() {
		ByteBuf f = frame("{\"type\":\"pong\"}");
		assertThat(Frames.longAfter(f, Frames.OFFSET)).isEqualTo(-1);
		assertThat(Frames.stringAfter(f, Frames.EPOCH)).isNull();
		assertThat(Frames.type(frame("[]"))).isEmpty();
	}

	@Test
	void findsEveryChunkMarkerOfCoalescedOutput() {
		ByteBuf f = frame("{\"type\":\"tab:output\",\"data\":{\"data\":\"#100;xxx#200;yy#notanumber;#3\"}}");
		List<Long> seen = new ArrayList<>();
		assertThat(Frames.markers(f, seen::add)).isEqualTo(2);
		assertThat(seen).containsExactly(100L, 200L);
	}

	@Test
	void latencySummaryIsInMilliseconds() {
		Latency latency = new Latency();
		latency.record(1_000_000, 1_002_500);
		assertThat(latency.count()).isEqualTo(1);
		assertThat((double) latency.summary().get("p50Ms")).isBetween(2.49, 2.51);
	}

}
