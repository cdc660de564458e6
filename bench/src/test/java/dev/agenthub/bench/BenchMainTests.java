package dev.agenthub.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchMainTests {

	@Test
	void comparisonHasOneColumnPerTargetAndRatiosAgainstTheIncumbent() {
		Map<String, Map<String, Number>> keys = new LinkedHashMap<>();
		keys.put("hub-raw", Map.of("p99 ms", 20.0, "load average 1 min, start", 4.0));
		keys.put("incumbent", Map.of("p99 ms", 10.0, "load average 1 min, start", 2.0));
		List<List<String>> table = BenchMain.compare(List.of("hub-raw", "incumbent"), keys);
		assertThat(table.get(0)).containsExactly("measure", "hub-raw", "incumbent", "hub-raw ÷ incumbent");
		assertThat(table).contains(List.of("p99 ms", "20.0", "10.0", "2.00"));
		// a load average is context, not a figure to divide
		assertThat(table).contains(List.of("load average 1 min, start", "4.0", "2.0", "–"));
	}

	@Test
	void aFigureOneTargetLacksIsShownAsADash() {
		Map<String, Map<String, Number>> keys = new LinkedHashMap<>();
		keys.put("hub-raw", Map.of("heap per connection", 20_000));
		keys.put("incumbent", Map.of());
		List<List<String>> table = BenchMain.compare(List.of("hub-raw", "incumbent"), keys);
		assertThat(table).contains(List.of("heap per connection", "20000", "–", "–"));
	}

}
