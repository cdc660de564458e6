package dev.agenthub.gateway.presence;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryPresenceDirectoryTests extends PresenceDirectoryContractTests {

	@Override
	PresenceDirectory directory() {
		return new InMemoryPresenceDirectory(1000);
	}

	@Test
	void shouldForgetTheLeastRecentlyRememberedUserBeyondItsCapacity() {
		InMemoryPresenceDirectory directory = new InMemoryPresenceDirectory(2);
		directory.remember("u1", Set.of("w")).block(WAIT);
		directory.remember("u2", Set.of("w")).block(WAIT);
		directory.remember("u1", Set.of("w")).block(WAIT);
		directory.remember("u3", Set.of("w")).block(WAIT);
		assertThat(directory.workspacesOf(List.of("u1", "u2", "u3")).block(WAIT)).containsOnlyKeys("u1", "u3");
	}

}
