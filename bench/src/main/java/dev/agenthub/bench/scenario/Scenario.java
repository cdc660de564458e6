package dev.agenthub.bench.scenario;

import dev.agenthub.bench.BenchOptions;

/** A benchmark scenario: bounded in time and count, loopback only, stops by itself. */
public interface Scenario {

	/**
	 * Runs once.
	 * @param options the options
	 * @return what was measured
	 * @throws Exception anything that stops the run
	 */
	Outcome run(BenchOptions options) throws Exception;

}
