package dev.agenthub.broker;

import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;

class InMemoryBrokerTests extends BrokerContractTests {

	private final InMemoryLogFeed logFeed = new InMemoryLogFeed(100_000);

	private final InMemoryBroker broker = new InMemoryBroker(HISTORY_SIZE, this.logFeed);

	private int subscribed;

	@Override
	Broker broker() {
		return this.broker;
	}

	@Override
	LogFeed logFeed() {
		return this.logFeed;
	}

	@Override
	void loseHistory(String channel) {
		this.broker.loseHistory(channel);
	}

	@Override
	int subscribedChannels() {
		return this.broker.activeChannels();
	}

}
