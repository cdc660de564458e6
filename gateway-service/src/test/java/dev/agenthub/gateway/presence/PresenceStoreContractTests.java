package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.agenthub.gateway.presence.PresenceStore.Change;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The behaviour every {@link PresenceStore} shares; one subclass per implementation. */
abstract class PresenceStoreContractTests {

	static final Duration WAIT = Duration.ofSeconds(5);

	/**
	 * A store for one node; stores made by one test instance share their state, like
	 * gateways sharing a Redis.
	 */
	abstract PresenceStore node(String nodeId, Duration ttl);

	Change set(PresenceStore store, String user, String connection, String status) {
		return store.set(user, connection, status, audience(user)).block(WAIT);
	}

	/** The audience these tests give a user unless they say otherwise. */
	static String audience(String user) {
		return "workspace:of-" + user;
	}

	Change remove(PresenceStore store, String user, String connection) {
		return store.remove(user, connection).block(WAIT);
	}

	Map<String, String> online(PresenceStore store) {
		return store.online().block(WAIT);
	}

	@Test
	void shouldKeepAUserOnlineWhileAnyConnectionIs() {
		PresenceStore store = node("n1", Duration.ofMinutes(1));
		assertThat(set(store, "ann", "c1", "online"))
			.isEqualTo(new Change("ann", "offline", "online", audience("ann")));
		assertThat(set(store, "ann", "c2", "online").changed()).isFalse();
		assertThat(online(store)).containsEntry("ann", "online");
		assertThat(remove(store, "ann", "c1").changed()).isFalse();
		assertThat(online(store)).containsEntry("ann", "online");
		assertThat(remove(store, "ann", "c2")).isEqualTo(new Change("ann", "online", "offline", audience("ann")));
		assertThat(online(store)).doesNotContainKey("ann");
	}

	@Test
	void shouldReportEachChangeToExactlyOneOfManyConcurrentCallers() {
		PresenceStore a = node("n1", Duration.ofMinutes(1));
		PresenceStore b = node("n2", Duration.ofMinutes(1));
		int connections = 300;
		// a crowd of one user's connections on two nodes, written at once (a store may
		// write them in batches): the user came online once, and left once
		List<Change> arrivals = Flux.range(0, connections)
			.flatMap((i) -> ((i % 2 == 0) ? a : b).set("crowd", "c" + i, "online", audience("crowd")), connections)
			.collectList()
			.block(WAIT);
		assertThat(arrivals).hasSize(connections);
		assertThat(arrivals).filteredOn(Change::changed)
			.containsExactly(new Change("crowd", "offline", "online", audience("crowd")));
		assertThat(online(a)).containsEntry("crowd", "online");
		List<Change> departures = Flux.range(0, connections)
			.flatMap((i) -> ((i % 2 == 0) ? a : b).remove("crowd", "c" + i), connections)
			.collectList()
			.block(WAIT);
		assertThat(departures).hasSize(connections);
		assertThat(departures).filteredOn(Change::changed)
			.containsExactly(new Change("crowd", "online", "offline", audience("crowd")));
		assertThat(online(b)).doesNotContainKey("crowd");
		assertThat(a.audienceSizes(List.of(audience("crowd"))).block(WAIT)).containsEntry(audience("crowd"), 0L);
	}

	@Test
	void shouldTakeTheMostRecentlySetStatusOfTheUsersConnections() {
		PresenceStore store = node("n1", Duration.ofMinutes(1));
		set(store, "bob", "c1", "online");
		set(store, "bob", "c2", "online");
		assertThat(set(store, "bob", "c1", "busy")).isEqualTo(new Change("bob", "online", "busy", audience("bob")));
		assertThat(online(store)).containsEntry("bob", "busy");
		assertThat(remove(store, "bob", "c1")).isEqualTo(new Change("bob", "busy", "online", audience("bob")));
		assertThat(set(store, "bob", "c2", "away")).isEqualTo(new Change("bob", "online", "away", audience("bob")));
		assertThat(set(store, "bob", "c2", "away").changed()).isFalse();
	}

	@Test
	void shouldShareUsersAcrossNodes() {
		PresenceStore one = node("n1", Duration.ofMinutes(1));
		PresenceStore two = node("n2", Duration.ofMinutes(1));
		set(one, "cat", "c1", "online");
		assertThat(set(two, "cat", "c2", "away")).isEqualTo(new Change("cat", "online", "away", audience("cat")));
		assertThat(online(one)).containsEntry("cat", "away");
		assertThat(remove(one, "cat", "c1").changed()).isFalse();
		assertThat(remove(two, "cat", "c2").after()).isEqualTo("offline");
	}

	@Test
	void shouldTellAUsersStatusNowOverEveryNode() {
		PresenceStore one = node("n1", Duration.ofMinutes(1));
		PresenceStore two = node("n2", Duration.ofMinutes(1));
		PresenceStore dying = node("dies", Duration.ofMillis(300));
		assertThat(one.status("nobody").block(WAIT)).isEqualTo("offline");
		set(one, "fay", "c1", "online");
		assertThat(two.status("fay").block(WAIT)).isEqualTo("online");
		set(two, "fay", "c2", "busy");
		assertThat(one.status("fay").block(WAIT)).isEqualTo("busy");
		remove(two, "fay", "c2");
		assertThat(two.status("fay").block(WAIT)).isEqualTo("online");
		remove(one, "fay", "c1");
		assertThat(one.status("fay").block(WAIT)).isEqualTo("offline");
		set(dying, "gus", "c3", "away");
		assertThat(one.status("gus").block(WAIT)).isEqualTo("away");
		await().atMost(WAIT).until(() -> "offline".equals(one.status("gus").block(WAIT)));
	}

	@Test
	void shouldForgetTheConnectionsOfANodeThatStopsRefreshing() {
		PresenceStore dying = node("dying", Duration.ofMillis(300));
		PresenceStore alive = node("alive", Duration.ofSeconds(30));
		set(dying, "dan", "c1", "online");
		set(alive, "eve", "c2", "online");
		assertThat(online(alive)).containsKeys("dan", "eve");
		await().atMost(WAIT).untilAsserted(() -> {
			alive.refresh().block(WAIT);
			assertThat(online(alive)).doesNotContainKey("dan").containsEntry("eve", "online");
		});
		assertThat(set(alive, "dan", "c3", "online"))
			.isEqualTo(new Change("dan", "offline", "online", audience("dan")));
	}

	@Test
	void shouldReportUsersOfADeadNodeOfflineOnceInASweep() {
		PresenceStore dying = node("gone", Duration.ofMillis(300));
		PresenceStore one = node("one", Duration.ofMillis(300));
		PresenceStore two = node("two", Duration.ofMillis(300));
		set(dying, "gil", "c1", "away");
		set(one, "hal", "c2", "online");
		List<Change> swept = new ArrayList<>();
		await().atMost(WAIT).untilAsserted(() -> {
			one.refresh().block(WAIT);
			two.refresh().block(WAIT);
			swept.addAll(one.sweep().block(WAIT));
			swept.addAll(two.sweep().block(WAIT));
			assertThat(swept).contains(new Change("gil", "away", "offline", audience("gil")));
		});
		for (int i = 0; i < 3; i++) {
			one.refresh().block(WAIT);
			swept.addAll(one.sweep().block(WAIT));
			swept.addAll(two.sweep().block(WAIT));
		}
		assertThat(swept).containsOnlyOnce(new Change("gil", "away", "offline", audience("gil")));
		assertThat(swept).noneMatch((change) -> change.userId().equals("hal"));
		assertThat(online(one)).containsEntry("hal", "online").doesNotContainKey("gil");
	}

	@Test
	void shouldListEveryOnlineUserHoweverMany() {
		PresenceStore store = node("listing", Duration.ofSeconds(30));
		int users = 1_000;
		for (int i = 0; i < users; i++) {
			set(store, "many-" + i, "c" + i, (i % 2 == 0) ? "online" : "away");
		}
		set(store, "gone", "g1", "online");
		store.remove("gone", "g1").block(WAIT);
		Map<String, String> online = online(store);
		assertThat(online).hasSize(users).doesNotContainKey("gone");
		assertThat(online).containsEntry("many-0", "online").containsEntry("many-999", "away");
	}

	@Test
	void shouldSweepEveryUserOfADeadNodeInOnePassHoweverMany() {
		PresenceStore dying = node("crowded", Duration.ofMillis(500));
		PresenceStore alive = node("survivor", Duration.ofMillis(500));
		int users = 1_000;
		for (int i = 0; i < users; i++) {
			set(dying, "crowd-" + i, "c" + i, "online");
		}
		set(alive, "stays", "s1", "online");
		await().atMost(WAIT).until(() -> {
			alive.refresh().block(WAIT);
			return !online(alive).containsKey("crowd-0");
		});
		alive.refresh().block(WAIT);
		// the store's lock lets one sweep per TTL run: wait for the pass that finds them
		List<Change> swept = new ArrayList<>();
		await().atMost(WAIT).untilAsserted(() -> {
			swept.addAll(alive.sweep().block(WAIT));
			assertThat(swept).isNotEmpty();
		});
		assertThat(swept).hasSize(users)
			.allMatch((change) -> change.userId().startsWith("crowd-") && "offline".equals(change.after()));
		assertThat(swept.stream().map(Change::userId).distinct()).hasSize(users);
		assertThat(online(alive)).containsOnlyKeys("stays");
	}

	@Test
	void shouldCarryTheAudienceOfTheLatestSetUntilTheUserIsOffline() {
		PresenceStore one = node("n1", Duration.ofMinutes(1));
		PresenceStore two = node("n2", Duration.ofMinutes(1));
		assertThat(one.set("ivy", "c1", "online", "workspace:a").block(WAIT).audience()).isEqualTo("workspace:a");
		assertThat(two.set("ivy", "c2", "away", "workspace:a,workspace:b").block(WAIT))
			.isEqualTo(new Change("ivy", "online", "away", "workspace:a,workspace:b"));
		assertThat(remove(one, "ivy", "c1").audience()).isEqualTo("workspace:a,workspace:b");
		assertThat(remove(two, "ivy", "c2")).isEqualTo(new Change("ivy", "away", "offline", "workspace:a,workspace:b"));
		// offline: forgotten; a new connection brings its own
		assertThat(one.set("ivy", "c3", "online", "user:ivy").block(WAIT))
			.isEqualTo(new Change("ivy", "offline", "online", "user:ivy"));
	}

	@Test
	void shouldCarryTheAudienceIntoTheSweep() {
		PresenceStore dying = node("lost", Duration.ofMillis(300));
		PresenceStore alive = node("kept", Duration.ofMillis(300));
		dying.set("jon", "c1", "busy", "workspace:x,workspace:y").block(WAIT);
		List<Change> swept = new ArrayList<>();
		await().atMost(WAIT).untilAsserted(() -> {
			alive.refresh().block(WAIT);
			swept.addAll(alive.sweep().block(WAIT));
			assertThat(swept).contains(new Change("jon", "busy", "offline", "workspace:x,workspace:y"));
		});
	}

	@Test
	void shouldStayAliveWhileRefreshed() {
		PresenceStore node = node("steady", Duration.ofMillis(400));
		set(node, "fay", "c1", "online");
		long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
		while (System.nanoTime() < until) {
			node.refresh().block(WAIT);
			assertThat(online(node)).containsEntry("fay", "online");
		}
	}

	@Test
	void shouldCountThePeopleOnlineInEachAudienceChannel() {
		PresenceStore one = node("n1", Duration.ofMinutes(1));
		PresenceStore two = node("n2", Duration.ofMinutes(1));
		one.set("kim", "c1", "online", "workspace:big,workspace:k").block(WAIT);
		two.set("lee", "c2", "online", "workspace:big").block(WAIT);
		// a second connection of the same person counts once
		two.set("lee", "c3", "away", "workspace:big").block(WAIT);
		assertThat(sizes(one, "workspace:big", "workspace:k", "workspace:none"))
			.isEqualTo(Map.of("workspace:big", 2L, "workspace:k", 1L, "workspace:none", 0L));
		// the audience of a person's latest connection replaces the one before
		one.set("kim", "c4", "online", "workspace:k").block(WAIT);
		assertThat(sizes(two, "workspace:big", "workspace:k"))
			.isEqualTo(Map.of("workspace:big", 1L, "workspace:k", 1L));
		remove(two, "lee", "c2");
		assertThat(sizes(one, "workspace:big")).isEqualTo(Map.of("workspace:big", 1L));
		remove(two, "lee", "c3");
		remove(one, "kim", "c1");
		remove(one, "kim", "c4");
		assertThat(sizes(one, "workspace:big", "workspace:k"))
			.isEqualTo(Map.of("workspace:big", 0L, "workspace:k", 0L));
	}

	@Test
	void shouldUncountThePeopleOfADeadNodeWhenTheyAreSwept() {
		PresenceStore dying = node("gone", Duration.ofMillis(300));
		PresenceStore alive = node("here", Duration.ofMillis(300));
		dying.set("max", "c1", "online", "workspace:crowd").block(WAIT);
		alive.set("ned", "c2", "online", "workspace:crowd").block(WAIT);
		assertThat(sizes(alive, "workspace:crowd")).isEqualTo(Map.of("workspace:crowd", 2L));
		await().atMost(WAIT).untilAsserted(() -> {
			alive.refresh().block(WAIT);
			alive.sweep().block(WAIT);
			assertThat(sizes(alive, "workspace:crowd")).isEqualTo(Map.of("workspace:crowd", 1L));
		});
	}

	Map<String, Long> sizes(PresenceStore store, String... channels) {
		return store.audienceSizes(List.of(channels)).block(WAIT);
	}

}
