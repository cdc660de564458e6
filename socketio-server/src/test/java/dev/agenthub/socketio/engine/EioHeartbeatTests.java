package dev.agenthub.socketio.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat's deadlines, driven with explicit times (the server's sweep runs on real
 * time, every half second with these durations, and finds nothing due within a test).
 */
class EioHeartbeatTests {

	private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);

	private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	private Scheduler timer;

	private EioSessions sessions;

	private EioSession session;

	private DisconnectReason closedWith;

	/**
	 * {@link System#nanoTime} right after the session opened: its first ping is due by
	 * then + INTERVAL.
	 */
	private long opened;

	@BeforeEach
	void open() {
		this.timer = Schedulers.newSingle("heartbeat-test");
		SocketIoConfig config = SocketIoConfig.defaults()
			.withHeartbeat(Duration.ofNanos(INTERVAL), Duration.ofNanos(TIMEOUT));
		this.sessions = EioTestSessions.sessions(config, this.timer, (reason) -> this.closedWith = reason);
		this.session = this.sessions.open(new HttpHeaders(), new LinkedMultiValueMap<>(), null, null);
		this.opened = System.nanoTime();
	}

	@AfterEach
	void stop() {
		this.timer.dispose();
	}

	@Test
	void shouldPingAtTheSweepNearestToWhenItIsDue() {
		// the sweep runs every 500 ms with these durations: not more than half of that
		// before the ping is due, at the sweep within half of it
		assertThat(Heartbeat.sweepPeriod(this.sessions.config())).isEqualTo(500 * MS);
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL - 300 * MS)).isFalse();
		assertThat(this.session.nextOutbound()).isNull();
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL - 240 * MS)).isFalse();
		assertThat(this.session.nextOutbound()).isSameAs(EioFrame.PING);
		// one ping per interval: no second one while its pong is awaited
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL + 100 * MS)).isFalse();
		assertThat(this.session.nextOutbound()).isNull();
	}

	@Test
	void shouldCloseWhenThePongIsOverdueCountingFromWhenThePingWasDue() {
		this.session.heartbeatTick(this.opened + INTERVAL);
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL + TIMEOUT - 200 * MS)).isFalse();
		assertThat(this.session.isClosed()).isFalse();
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL + TIMEOUT)).isTrue();
		assertThat(this.session.isClosed()).isTrue();
		assertThat(this.closedWith).isEqualTo(DisconnectReason.PING_TIMEOUT);
		assertThat(this.sessions.get(this.session.id())).isNull();
	}

	@Test
	void shouldCountThePongOfAPingSentWithinOneSweepFromWhenItWasDue() {
		// the sweep runs every 500 ms with these durations: a ping sent 100 ms after it
		// was due still times out at due + timeout, as the reference server's timer
		this.session.heartbeatTick(this.opened + INTERVAL + 100 * MS);
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL + TIMEOUT - 200 * MS)).isFalse();
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL + TIMEOUT)).isTrue();
	}

	@Test
	void shouldGiveALatePingTheTimeoutLessOneSweep() {
		// the sweep sent the ping 4 s after it was due (a loaded machine, a stalled
		// timer): the client still gets the timeout less one sweep period to answer,
		// not the 1 s left of it
		long sweep = Heartbeat.sweepPeriod(this.sessions.config());
		long late = this.opened + INTERVAL + 4_000 * MS;
		this.session.heartbeatTick(late);
		assertThat(this.session.heartbeatTick(late + TIMEOUT - sweep - 1)).isFalse();
		assertThat(this.session.isClosed()).isFalse();
		assertThat(this.session.heartbeatTick(late + TIMEOUT - sweep)).isTrue();
		assertThat(this.closedWith).isEqualTo(DisconnectReason.PING_TIMEOUT);
	}

	@Test
	void shouldScheduleTheNextPingAfterThePong() {
		this.session.heartbeatTick(this.opened + INTERVAL);
		assertThat(this.session.nextOutbound()).isSameAs(EioFrame.PING);
		this.session.receive(EioCodec.decodeText("3", false));
		long ponged = System.nanoTime();
		assertThat(this.session.heartbeatTick(ponged + INTERVAL - 300 * MS)).isFalse();
		assertThat(this.session.nextOutbound()).isNull();
		assertThat(this.session.heartbeatTick(ponged + INTERVAL)).isFalse();
		assertThat(this.session.nextOutbound()).isSameAs(EioFrame.PING);
		assertThat(this.session.isClosed()).isFalse();
	}

	@Test
	void shouldRemoveASessionThatTimedOut() {
		this.session.heartbeatTick(this.opened + INTERVAL);
		assertThat(this.sessions.get(this.session.id())).isSameAs(this.session);
		this.session.heartbeatTick(this.opened + INTERVAL + TIMEOUT);
		assertThat(this.sessions.get(this.session.id())).isNull();
		assertThat(this.sessions.size()).isZero();
	}

	@Test
	void shouldFindASessionPastItsDeadlineGoneWhenARequestComesBeforeTheSweep() throws InterruptedException {
		// a timer whose time never moves: the sweep never runs, only the lookups
		VirtualTimeScheduler frozen = VirtualTimeScheduler.create();
		EioSessions unswept = new EioSessions(
				SocketIoConfig.defaults().withHeartbeat(Duration.ofMillis(50), Duration.ofMillis(50)), (s) -> null,
				SocketIoMetrics.NOOP, frozen);
		EioSession polled = unswept.open(new HttpHeaders(), new LinkedMultiValueMap<>(), null, null);
		Thread.sleep(60);
		// the ping was due: the lookup sends it (the pong is due 50 ms after it was due)
		assertThat(unswept.get(polled.id())).isSameAs(polled);
		assertThat(polled.nextOutbound()).isSameAs(EioFrame.PING);
		Thread.sleep(60);
		assertThat(unswept.get(polled.id())).isNull();
		assertThat(polled.isClosed()).isTrue();
		frozen.dispose();
	}

	@Test
	void shouldStopWithTheSession() {
		this.session.close(DisconnectReason.TRANSPORT_CLOSE);
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL)).isFalse();
		assertThat(this.session.heartbeatTick(this.opened + INTERVAL + TIMEOUT)).isFalse();
	}

}
