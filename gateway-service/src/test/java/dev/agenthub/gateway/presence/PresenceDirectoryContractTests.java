package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link PresenceDirectory} shares; one subclass per implementation.
 */
abstract class PresenceDirectoryContractTests {

	static final Duration WAIT = Duration.ofSeconds(5);

	abstract PresenceDirectory directory();

	@Test
	void shouldReturnTheLatestWorkspacesOfKnownUsersOnly() {
		PresenceDirectory directory = directory();
		String ann = "ann-" + UUID.randomUUID();
		String bob = "bob-" + UUID.randomUUID();
		directory.remember(ann, Set.of("acme", "lab")).block(WAIT);
		directory.remember(bob, Set.of("evil")).block(WAIT);
		directory.remember(ann, Set.of("acme")).block(WAIT);
		Map<String, Set<String>> found = directory.workspacesOf(List.of(ann, bob, "nobody-" + UUID.randomUUID()))
			.block(WAIT);
		assertThat(found).containsOnlyKeys(ann, bob);
		assertThat(found.get(ann)).as("a narrower token narrows at once").containsExactly("acme");
		assertThat(found.get(bob)).containsExactly("evil");
	}

	@Test
	void shouldKeepWorkspaceIdsWithAnyCharacters() {
		PresenceDirectory directory = directory();
		String odd = "odd-" + UUID.randomUUID();
		directory.remember(odd, Set.of("a,b", "c\"d", "*")).block(WAIT);
		assertThat(directory.workspacesOf(List.of(odd)).block(WAIT).get(odd)).containsExactlyInAnyOrder("a,b", "c\"d",
				"*");
	}

}
