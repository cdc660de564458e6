package dev.agenthub.bench.scenario;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's RSS drift compares like with like: samples taken right after a full GC. */
class SoakScenarioTests {

	// seconds, RSS KB, heap KB, heap after GC KB (-1: no GC at this sample)
	private static long[] row(long seconds, long rss, long afterGc) {
		return new long[] { seconds, rss, 0, afterGc };
	}

	@Test
	void rssDriftIsTakenBetweenSamplesRightAfterAFullGc() {
		// G1 gives back heap at each forced GC and regrows it in between: 350 MB after a
		// GC, up to 490 MB between; the last sample falls between two GCs.
		List<long[]> rows = List.of(row(540, 348_916, 71_656), row(600, 349_052, 72_454), row(610, 490_000, -1),
				row(1_740, 350_976, 69_240), row(1_790, 362_840, -1));
		long[][] ends = SoakScenario.rssEnds(rows, 600);
		assertThat(ends[0][0]).isEqualTo(600);
		assertThat(ends[1][0]).isEqualTo(1_740);
	}

	@Test
	void withoutGcSamplesTheFirstAfterTheStartAndTheLastAreCompared() {
		// a server that is not a JVM (the incumbent): no heap after GC
		List<long[]> rows = List.of(row(540, 100, -1), row(600, 110, -1), row(1_200, 115, -1));
		long[][] ends = SoakScenario.rssEnds(rows, 600);
		assertThat(ends[0][0]).isEqualTo(600);
		assertThat(ends[1][0]).isEqualTo(1_200);
	}

}
