package dev.agenthub.broker;

/**
 * The engine contract, through {@link CoalescingBroker} over Redis: merging reads changes
 * nothing a caller can see.
 */
class CoalescingRedisBrokerIntegrationTests extends RedisBrokerIntegrationTests {

	private CoalescingBroker coalescing;

	@Override
	Broker broker() {
		if (this.coalescing == null) {
			this.coalescing = new CoalescingBroker(super.broker());
		}
		return this.coalescing;
	}

}
