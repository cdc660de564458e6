package dev.agenthub.agent.lease;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link WorkspaceLeases} guarantees. */
abstract class WorkspaceLeasesContractTests {

	static final Duration WAIT = Duration.ofSeconds(5);

	/** Leases with the given time to live. */
	abstract WorkspaceLeases leases(Duration ttl);

	@Test
	void shouldGiveTheFirstSessionTheLeaseWithNoPrevious() {
		WorkspaceLeases leases = leases(Duration.ofSeconds(30));
		Acquired acquired = leases.acquire("w1", "n1", "s1").block(WAIT);
		assertThat(acquired.previous()).isNull();
		assertThat(acquired.lease().sessionId()).isEqualTo("s1");
		assertThat(leases.current("w1").block(WAIT)).isEqualTo(acquired.lease());
	}

	@Test
	void shouldReplaceTheHolderWithALargerFence() {
		WorkspaceLeases leases = leases(Duration.ofSeconds(30));
		Lease first = leases.acquire("w1", "n1", "s1").block(WAIT).lease();
		Acquired second = leases.acquire("w1", "n2", "s2").block(WAIT);
		assertThat(second.previous()).isEqualTo(first);
		assertThat(second.lease().fence()).isGreaterThan(first.fence());
		assertThat(second.lease().nodeId()).isEqualTo("n2");
		assertThat(leases.current("w1").block(WAIT)).isEqualTo(second.lease());
	}

	@Test
	void shouldNotLetAReplacedHolderRenewOrReleaseItsSuccessorsLease() {
		WorkspaceLeases leases = leases(Duration.ofSeconds(30));
		Lease first = leases.acquire("w1", "n1", "s1").block(WAIT).lease();
		Lease second = leases.acquire("w1", "n1", "s2").block(WAIT).lease();
		assertThat(leases.renew(first).block(WAIT)).isFalse();
		assertThat(leases.release(first).block(WAIT)).isFalse();
		assertThat(leases.current("w1").block(WAIT)).isEqualTo(second);
		assertThat(leases.renew(second).block(WAIT)).isTrue();
		assertThat(leases.release(second).block(WAIT)).isTrue();
		assertThat(leases.current("w1").block(WAIT)).isNull();
		assertThat(leases.release(second).block(WAIT)).isFalse();
	}

	@Test
	void shouldExpireALeaseThatIsNotRenewedAndKeepFencesGrowing() throws InterruptedException {
		WorkspaceLeases leases = leases(Duration.ofMillis(150));
		Lease first = leases.acquire("w1", "n1", "s1").block(WAIT).lease();
		Thread.sleep(400);
		assertThat(leases.current("w1").block(WAIT)).isNull();
		assertThat(leases.renew(first).block(WAIT)).isFalse();
		Acquired next = leases.acquire("w1", "n1", "s2").block(WAIT);
		assertThat(next.previous()).isNull();
		assertThat(next.lease().fence()).isGreaterThan(first.fence());
	}

	@Test
	void shouldReacquireAVanishedLeaseOnlyWhenNobodyHoldsIt() throws InterruptedException {
		WorkspaceLeases leases = leases(Duration.ofMillis(150));
		Lease first = leases.acquire("w1", "n1", "s1").block(WAIT).lease();
		Thread.sleep(400);
		Lease again = leases.reacquire(first).block(WAIT);
		assertThat(again.sessionId()).isEqualTo("s1");
		assertThat(again.fence()).isGreaterThan(first.fence());
		assertThat(leases.current("w1").block(WAIT)).isEqualTo(again);
		assertThat(leases.reacquire(first).block(WAIT)).as("held: not taken again").isNull();
		Lease newer = leases.acquire("w1", "n2", "s2").block(WAIT).lease();
		assertThat(leases.reacquire(again).block(WAIT)).isNull();
		assertThat(leases.current("w1").block(WAIT)).isEqualTo(newer);
	}

	@Test
	void shouldKeepWorkspacesApart() {
		WorkspaceLeases leases = leases(Duration.ofSeconds(30));
		leases.acquire("w1", "n1", "s1").block(WAIT);
		Acquired other = leases.acquire("w2", "n1", "s2").block(WAIT);
		assertThat(other.previous()).isNull();
		assertThat(leases.current("w1").block(WAIT).sessionId()).isEqualTo("s1");
	}

}
