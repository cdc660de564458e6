package dev.agenthub.support.engine;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The latency of every command the engine's Redis client sends, as timers
 * ({@code lettuce.command.completion}: from sending to the whole answer;
 * {@code lettuce.command.firstresponse}: to its first byte; by command type and Redis
 * address; count, sum and max, no client-side percentiles) in each meter registry
 * {@linkplain #binder() bound} to it: a service's own, or, in the one-process hub whose
 * engine lives in a parent context without a registry, each service's. Until one is,
 * nothing is recorded.
 */
public final class RedisCommandLatency implements CommandLatencyRecorder {

	private static final MicrometerOptions OPTIONS = MicrometerOptions.builder()
		.localDistinction(false)
		.histogram(false)
		.targetPercentiles(new double[0])
		.build();

	private volatile List<MicrometerCommandLatencyRecorder> recorders = List.of();

	private final Set<MeterRegistry> registries = Collections.newSetFromMap(new IdentityHashMap<>());

	/** Binds a registry to these latencies, once however often it is offered. */
	public MeterBinder binder() {
		return this::bind;
	}

	private synchronized void bind(MeterRegistry registry) {
		if (!this.registries.add(registry)) {
			return;
		}
		List<MicrometerCommandLatencyRecorder> more = new ArrayList<>(this.recorders);
		more.add(new MicrometerCommandLatencyRecorder(registry, OPTIONS));
		this.recorders = List.copyOf(more);
	}

	@Override
	public void recordCommandLatency(SocketAddress local, SocketAddress remote, RedisCommand<?, ?, ?> command,
			long firstResponseLatency, long completionLatency) {
		for (MicrometerCommandLatencyRecorder recorder : this.recorders) {
			recorder.recordCommandLatency(local, remote, command, firstResponseLatency, completionLatency);
		}
	}

	@Override
	public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
			long firstResponseLatency, long completionLatency) {
		for (MicrometerCommandLatencyRecorder recorder : this.recorders) {
			recorder.recordCommandLatency(local, remote, commandType, firstResponseLatency, completionLatency);
		}
	}

}
