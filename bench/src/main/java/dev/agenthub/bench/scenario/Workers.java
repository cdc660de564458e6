package dev.agenthub.bench.scenario;

import dev.agenthub.bench.BenchOptions;

/** Child-process workers. */
public final class Workers {

	private Workers() {
	}

	public static void run(BenchOptions o) {
		throw new IllegalArgumentException("not implemented yet");
	}

}
