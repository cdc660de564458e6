package dev.agenthub.bench.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.agenthub.bench.DaemonThreads;

/**
 * Processes' CPU time, sampled every 100 ms on a thread of its own from {@link #start()}
 * to {@link #stop()}, so that what each used up to a moment known only afterwards (the
 * last resume of a storm) can be read.
 */
public final class CpuSamples {

	private final List<HubProcess> processes;

	/** Rows of {@code nanoTime, ticks of each process (-1: unreadable)}. */
	private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(DaemonThreads.named("cpu-samples"));

	public CpuSamples(List<HubProcess> processes) {
		this.processes = processes;
	}

	public void start() {
		this.timer.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
	}

	public void stop() {
		this.timer.shutdownNow();
	}

	private void sample() {
		long[] row = new long[this.processes.size() + 1];
		row[0] = System.nanoTime();
		for (int i = 0; i < this.processes.size(); i++) {
			try {
				row[i + 1] = this.processes.get(i).cpuTicks();
			}
			catch (RuntimeException ex) {
				row[i + 1] = -1;
			}
		}
		this.samples.add(row);
	}

	/**
	 * CPU seconds of each process from the first sample to the first at or after
	 * {@code until} ({@link System#nanoTime}), -1 for one that could not be read.
	 */
	public double[] secondsUntil(long until) {
		double[] used = new double[this.processes.size()];
		synchronized (this.samples) {
			if (this.samples.isEmpty()) {
				return used;
			}
			long[] first = this.samples.get(0);
			long[] last = this.samples.get(this.samples.size() - 1);
			for (long[] row : this.samples) {
				if (row[0] >= until) {
					last = row;
					break;
				}
			}
			for (int i = 0; i < used.length; i++) {
				used[i] = (first[i + 1] < 0 || last[i + 1] < 0) ? -1 : (last[i + 1] - first[i + 1]) / 100.0;
			}
		}
		return used;
	}

}
