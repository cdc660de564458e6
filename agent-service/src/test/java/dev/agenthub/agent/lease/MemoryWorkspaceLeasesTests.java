package dev.agenthub.agent.lease;

import java.time.Clock;
import java.time.Duration;

class MemoryWorkspaceLeasesTests extends WorkspaceLeasesContractTests {

	@Override
	WorkspaceLeases leases(Duration ttl) {
		return new MemoryWorkspaceLeases(ttl, Clock.systemUTC());
	}

}
