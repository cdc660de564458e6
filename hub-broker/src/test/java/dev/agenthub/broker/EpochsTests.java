package dev.agenthub.broker;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EpochsTests {

	@Test
	void shouldMakeTenCharacterUrlSafeEpochsThatDoNotRepeat() {
		Set<String> seen = new HashSet<>();
		Set<Character> characters = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String epoch = Epochs.next();
			assertThat(epoch).hasSize(10).matches("[0-9a-z]{10}");
			assertThat(seen.add(epoch)).as(epoch).isTrue();
			epoch.chars().forEach((c) -> characters.add((char) c));
		}
		// every position draws from the whole alphabet
		assertThat(characters).hasSize(36);
		assertThat(seen.stream().map((epoch) -> epoch.charAt(9)).distinct().count()).isEqualTo(36);
	}

	@Test
	void shouldShareOneInstanceOfAnEpochReadManyTimes() {
		String first = Epochs.shared(new String("lse10mxwgv"));
		String again = new String("lse10mxwgv");
		assertThat(Epochs.shared(again)).isSameAs(first).isEqualTo(again);
	}

	@Test
	void shouldGiveBackAnEpochNotSeenBeforeAsItIsAndRememberTheLatest() {
		// a flood of distinct epochs (the table is fixed: it replaces, never grows)
		for (int i = 0; i < 100_000; i++) {
			String epoch = Epochs.next();
			assertThat(Epochs.shared(epoch)).isSameAs(epoch);
		}
		String last = Epochs.next();
		Epochs.shared(last);
		assertThat(Epochs.shared(new String(last))).isSameAs(last);
	}

}
