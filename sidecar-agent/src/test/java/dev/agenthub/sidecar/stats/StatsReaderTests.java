package dev.agenthub.sidecar.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StatsReaderTests {

	@TempDir
	Path proc;

	@Test
	void shouldComputeCpuFromTheDeltaOfTwoSamples() throws Exception {
		// total 1000 (guest columns excluded), idle+iowait 800
		writeStat("cpu  100 0 100 700 100 0 0 0 50 0");
		StatsReader reader = new StatsReader(this.proc, this.proc);
		assertThat(reader.cpuPercent()).isEqualTo(20.0);

		// +1000 total, of which +250 idle+iowait: 75% busy
		writeStat("cpu  600 0 350 900 150 0 0 0 50 0");
		assertThat(reader.cpuPercent()).isEqualTo(75.0);

		// no time passed
		assertThat(reader.cpuPercent()).isEqualTo(0.0);
	}

	@Test
	void shouldReadMemoryFromMemAvailable() throws Exception {
		Files.writeString(this.proc.resolve("meminfo"), """
				MemTotal:        1000000 kB
				MemFree:          100000 kB
				MemAvailable:     250000 kB
				Buffers:           10000 kB
				""");
		StatsReader reader = new StatsReader(this.proc, this.proc);

		Map<String, Object> memory = reader.memory();

		assertThat(memory).containsEntry("totalBytes", 1_024_000_000L)
			.containsEntry("usedBytes", 768_000_000L)
			.containsEntry("percent", 75.0);
	}

	@Test
	void shouldFallBackToFreeBuffersAndCachedWithoutMemAvailable() throws Exception {
		Files.writeString(this.proc.resolve("meminfo"),
				"MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 300 kB\n");

		assertThat(new StatsReader(this.proc, this.proc).memory()).containsEntry("usedBytes", 500L * 1024);
	}

	@Test
	void shouldReadTheDiskOfThePathAndFallBackToTheJvmWithoutProc() {
		StatsReader reader = new StatsReader(this.proc.resolve("absent"), this.proc);

		Map<String, Object> sample = reader.sample();

		assertThat(sample).containsKeys("cpu", "memory", "disk");
		assertThat((Double) sample.get("cpu")).isBetween(0.0, 100.0);
		@SuppressWarnings("unchecked")
		Map<String, Object> memory = (Map<String, Object>) sample.get("memory");
		assertThat((Long) memory.get("totalBytes")).isPositive();
		@SuppressWarnings("unchecked")
		Map<String, Object> disk = (Map<String, Object>) sample.get("disk");
		assertThat((Long) disk.get("totalBytes")).isPositive();
		assertThat((Long) disk.get("usedBytes")).isBetween(0L, (Long) disk.get("totalBytes"));
		assertThat(disk.get("path")).isEqualTo(this.proc.toString());
	}

	@Test
	void shouldReadTheRealProcOnLinux() {
		Map<String, Object> sample = new StatsReader(Path.of("/proc"), Path.of("/")).sample();

		assertThat(sample).containsKeys("cpu", "memory", "disk");
		assertThat((Double) sample.get("cpu")).isBetween(0.0, 100.0);
	}

	private void writeStat(String cpuLine) throws Exception {
		Files.writeString(this.proc.resolve("stat"), cpuLine + "\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
	}

}
