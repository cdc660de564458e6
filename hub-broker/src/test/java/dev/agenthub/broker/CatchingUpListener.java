package dev.agenthub.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

/**
 * A listener that keeps what it is given and counts the times it was told to catch up.
 */
final class CatchingUpListener implements Broker.CatchUpListener {

	final List<Publication> received = new CopyOnWriteArrayList<>();

	final AtomicInteger catchUps = new AtomicInteger();

	@Override
	public void accept(Publication publication) {
		this.received.add(publication);
	}

	@Override
	public Mono<Void> catchUp() {
		this.catchUps.incrementAndGet();
		return Mono.empty();
	}

}
