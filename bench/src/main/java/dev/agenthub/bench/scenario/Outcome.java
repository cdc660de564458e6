package dev.agenthub.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario measured: everything, for the JSON file, and the headline rows
 * (measure, value, target) for RESULTS.md.
 *
 * @param metrics all measurements
 * @param headline the table rows
 */
public record Outcome(Map<String, Object> metrics, List<List<String>> headline) {

	public Outcome() {
		this(new LinkedHashMap<>(), new ArrayList<>());
	}

	/**
	 * Records a key figure: a number compared across targets when a scenario runs against
	 * several ({@code --targets}); kept under {@code keyFigures} in the metrics.
	 * @param name e.g. {@code "1000/s p99 ms"}
	 * @param value the number, or {@code null} when not measured
	 * @return this
	 */
	@SuppressWarnings("unchecked")
	public Outcome key(String name, Number value) {
		((Map<String, Number>) this.metrics.computeIfAbsent("keyFigures", (k) -> new LinkedHashMap<String, Number>()))
			.put(name, value);
		return this;
	}

	/**
	 * @return the key figures recorded with {@link #key}
	 */
	@SuppressWarnings("unchecked")
	public Map<String, Number> keys() {
		return (Map<String, Number>) this.metrics.getOrDefault("keyFigures", Map.of());
	}

	/** Adds a headline row. */
	public Outcome row(String measure, Object value, String target) {
		this.headline.add(List.of(measure, String.valueOf(value), target));
		return this;
	}

}
