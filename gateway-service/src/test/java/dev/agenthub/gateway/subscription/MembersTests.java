package dev.agenthub.gateway.subscription;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MembersTests {

	private final Members<Object, String> members = new Members<>() {
	};

	private final Object alice = new Object();

	private final Object bob = new Object();

	private final Object carol = new Object();

	@Test
	void shouldGoFromNoneToOneToManyAndBack() {
		assertThat(this.members.isEmpty()).isTrue();
		assertThat(seen()).isEmpty();
		this.members.add(this.alice, "a");
		assertThat(seen()).containsExactlyEntriesOf(Map.of(this.alice, "a"));
		this.members.add(this.bob, "b");
		this.members.add(this.carol, "c");
		assertThat(this.members.size()).isEqualTo(3);
		assertThat(seen()).containsExactlyInAnyOrderEntriesOf(Map.of(this.alice, "a", this.bob, "b", this.carol, "c"));
		assertThat(this.members.remove(this.alice)).isTrue();
		assertThat(this.members.remove(this.carol)).isTrue();
		assertThat(seen()).containsExactlyEntriesOf(Map.of(this.bob, "b"));
		assertThat(this.members.size()).isEqualTo(1);
		assertThat(this.members.remove(this.bob)).isTrue();
		assertThat(this.members.isEmpty()).isTrue();
		assertThat(this.members.size()).isZero();
	}

	@Test
	void shouldGiveAMemberANewStateWhenItIsAddedAgain() {
		this.members.add(this.alice, "a");
		this.members.add(this.alice, "a2");
		assertThat(seen()).containsExactlyEntriesOf(Map.of(this.alice, "a2"));
		this.members.add(this.bob, "b");
		this.members.add(this.bob, "b2");
		assertThat(seen()).containsExactlyInAnyOrderEntriesOf(Map.of(this.alice, "a2", this.bob, "b2"));
	}

	@Test
	void shouldRemoveOnlyMembers() {
		assertThat(this.members.remove(this.alice)).isFalse();
		this.members.add(this.alice, "a");
		assertThat(this.members.remove(this.bob)).isFalse();
		this.members.add(this.bob, "b");
		assertThat(this.members.remove(this.carol)).isFalse();
		assertThat(this.members.size()).isEqualTo(2);
	}

	@Test
	void shouldTellALoneMemberFromAnEqualOneByIdentity() {
		String one = new String("same");
		String other = new String("same");
		Members<String, String> byIdentity = new Members<>() {
		};
		byIdentity.add(one, "1");
		assertThat(byIdentity.remove(other)).isFalse();
		assertThat(byIdentity.size()).isEqualTo(1);
	}

	@Test
	void shouldAlwaysShowAReaderTheMembersThatStayedWhileOthersComeAndGo() throws InterruptedException {
		// the fan-out reads without the lock while a writer (under it) goes between one
		// member and many: the one who never leaves is seen on every pass
		this.members.add(this.alice, "a");
		AtomicReference<String> missed = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		Thread reader = new Thread(() -> {
			while (done.getCount() > 0) {
				boolean[] sawAlice = { false };
				this.members.forEachMember((member, state) -> sawAlice[0] |= (member == this.alice));
				if (!sawAlice[0]) {
					missed.set("alice missed");
				}
			}
		});
		reader.start();
		for (int i = 0; i < 200_000; i++) {
			this.members.add(this.bob, "b");
			if (i % 2 == 0) {
				this.members.add(this.carol, "c");
			}
			this.members.remove(this.bob);
			this.members.remove(this.carol);
		}
		done.countDown();
		reader.join();
		assertThat(missed.get()).isNull();
		assertThat(seen()).containsExactlyEntriesOf(Map.of(this.alice, "a"));
	}

	private Map<Object, String> seen() {
		Map<Object, String> seen = new HashMap<>();
		this.members.forEachMember(seen::put);
		return seen;
	}

}
