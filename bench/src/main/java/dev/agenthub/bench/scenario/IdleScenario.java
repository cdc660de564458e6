package dev.agenthub.bench.scenario;

import dev.agenthub.bench.BenchOptions;

/** Not yet. */
public final class IdleScenario implements Scenario {

	@Override
	public Outcome run(BenchOptions o) {
		throw new IllegalArgumentException("not implemented yet");
	}

}
