package dev.agenthub.broker;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Work started once whose outcome is awaited later, perhaps many times (a channel's
 * subscription, joined by every connection of the channel): unlike {@code cache()}, what
 * is kept is the outcome only, not the chain that produced it, which would otherwise stay
 * in memory for as long as the result is held.
 */
public final class Outcome {

	private Outcome() {
	}

	/**
	 * Subscribes to {@code work} now.
	 * @return replays its value (or emptiness) or error to every subscriber
	 */
	public static <T> Mono<T> of(Mono<T> work) {
		Sinks.One<T> outcome = Sinks.one();
		work.subscribe(outcome::tryEmitValue, outcome::tryEmitError, outcome::tryEmitEmpty);
		return outcome.asMono();
	}

}
