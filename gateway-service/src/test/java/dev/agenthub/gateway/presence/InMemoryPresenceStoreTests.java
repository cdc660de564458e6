package dev.agenthub.gateway.presence;

import java.time.Duration;

class InMemoryPresenceStoreTests extends PresenceStoreContractTests {

	private final InMemoryPresenceStore.Space space = new InMemoryPresenceStore.Space();

	@Override
	PresenceStore node(String nodeId, Duration ttl) {
		return new InMemoryPresenceStore(this.space, nodeId, ttl);
	}

}
