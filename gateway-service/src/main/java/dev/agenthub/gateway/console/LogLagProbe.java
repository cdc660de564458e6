package dev.agenthub.gateway.console;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.gateway.recovery.LogHistoryClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How far the durable log writer is behind: for some workspace channels, the engine's
 * latest offset against the last of the channel's events that broadcast-service's log
 * already holds (reading at most {@link #WINDOW} events per channel, so "behind" is
 * capped there).
 */
@Component
class LogLagProbe {

	static final int WINDOW = 100;

	private final Broker broker;

	private final LogHistoryClient log;

	private final ConsoleProperties properties;

	LogLagProbe(Broker broker, LogHistoryClient log, ConsoleProperties properties) {
		this.broker = broker;
		this.log = log;
		this.properties = properties;
	}

	Mono<Lag> probe(Collection<String> workspaceIds) {
		return Flux.fromIterable(workspaceIds)
			.take(this.properties.lagProbeChannels())
			.map((id) -> "workspace:" + id)
			.concatMap(this::behind)
			.collectList()
			.map((all) -> {
				List<Behind> behind = all.stream()
					.filter((b) -> b.behind() > 0)
					.sorted(Comparator.comparingLong(Behind::behind).reversed())
					.toList();
				long max = behind.isEmpty() ? 0 : behind.get(0).behind();
				return new Lag(all.size(), max, behind);
			});
	}

	private Mono<Behind> behind(String channel) {
		return this.broker.position(channel).flatMap((position) -> {
			long since = Math.max(0, position.offset() - WINDOW);
			if (position.offset() == 0) {
				return Mono.just(new Behind(channel, 0));
			}
			return this.log.range(channel, position.epoch(), since, position.offset()).map((events) -> {
				long last = events.isEmpty() ? since : events.get(events.size() - 1).offset();
				return new Behind(channel, position.offset() - last);
			});
		}).timeout(this.properties.timeout());
	}

	/**
	 * The log writer's lag.
	 *
	 * @param channelsProbed channels compared
	 * @param maxBehind most events any of them has not yet in the log
	 * @param behindChannels the channels that are behind, most first
	 */
	record Lag(int channelsProbed, long maxBehind, List<Behind> behindChannels) {

	}

	/**
	 * One channel's lag.
	 *
	 * @param channel the channel
	 * @param behind events published but not yet in the log (at most {@link #WINDOW})
	 */
	record Behind(String channel, long behind) {

	}

}
