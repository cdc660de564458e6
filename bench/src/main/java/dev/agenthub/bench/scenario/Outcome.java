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

	/** Adds a headline row. */
	public Outcome row(String measure, Object value, String target) {
		this.headline.add(List.of(measure, String.valueOf(value), target));
		return this;
	}

}
