package dev.agenthub.socketio.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SocketIoConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second WebSocket with a session's sid is refused (closed), but not before the probe
 * in progress has answered its "2probe": the official suite's "ignores WebSocket
 * connection with same sid after upgrade" sends "2probe" on the first socket, opens the
 * second, waits for its close and then takes the first socket's next message as the echo
 * — a pong that left after that close failed it (2 runs in 15 on a loaded machine).
 */
class EioUpgradeRefusalTests {

	private Scheduler timer;

	private EioSession session;

	private final Socket probe = new Socket();

	private final AtomicInteger refused = new AtomicInteger();

	@BeforeEach
	void open() {
		this.timer = Schedulers.newSingle("upgrade-test");
		SocketIoConfig defaults = SocketIoConfig.defaults();
		// a short upgrade timeout, for the probe that never answers
		SocketIoConfig config = new SocketIoConfig(defaults.pingInterval(), defaults.pingTimeout(),
				defaults.maxPayload(), defaults.connectTimeout(), Duration.ofMillis(300), defaults.maxOutboundBytes(),
				defaults.maxSessions(), defaults.maxAttachments(), null, null);
		EioSessions sessions = EioTestSessions.sessions(config, this.timer, (reason) -> {
		});
		// a long-polling session
		this.session = sessions.open(new HttpHeaders(), new LinkedMultiValueMap<>(), null, null);
	}

	@AfterEach
	void stop() {
		this.timer.dispose();
	}

	@Test
	void shouldRefuseASecondWebSocketOnlyOnceTheProbeAnsweredItsPing() {
		assertThat(this.session.upgrade().begin(this.probe)).isTrue();
		Socket second = new Socket();
		assertThat(this.session.upgrade().begin(second)).isFalse();
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		assertThat(this.refused).as("waits for the probe's pong").hasValue(0);

		this.session.upgrade().probed(this.probe);

		assertThat(this.refused).hasValue(1);
		// the probe itself is untouched: it completes the upgrade
		assertThat(this.session.upgrade().complete(this.probe)).isTrue();
		assertThat(this.probe.closes).hasValue(0);
	}

	@Test
	void shouldRefuseAtOnceWhenTheProbeHasAnsweredOrTheSessionIsUpgraded() {
		this.session.upgrade().begin(this.probe);
		this.session.upgrade().probed(this.probe);
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		assertThat(this.refused).hasValue(1);

		this.session.upgrade().complete(this.probe);
		assertThat(this.session.upgrade().begin(new Socket())).isFalse();
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		assertThat(this.refused).hasValue(2);
	}

	@Test
	void shouldRefuseWhenTheProbeEndsWithoutAnswering() {
		// aborted (e.g. its socket closed)
		this.session.upgrade().begin(this.probe);
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		this.session.upgrade().abort(this.probe);
		assertThat(this.refused).hasValue(1);

		// upgraded without a "2probe" first
		Socket next = new Socket();
		this.session.upgrade().begin(next);
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		this.session.upgrade().complete(next);
		assertThat(this.refused).hasValue(2);
	}

	@Test
	void shouldRefuseWhenTheProbeTimesOut() throws InterruptedException {
		this.session.upgrade().begin(this.probe);
		CountDownLatch done = new CountDownLatch(1);
		this.session.upgrade().refuse(done::countDown);
		assertThat(done.getCount()).isEqualTo(1);
		// the upgrade timeout (300 ms here) aborts the probe, and the refusal with it
		assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.probe.closes).hasValue(1);
	}

	@Test
	void shouldRefuseWhenTheSessionCloses() {
		this.session.upgrade().begin(this.probe);
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		this.session.close(DisconnectReason.FORCED_CLOSE);
		assertThat(this.refused).hasValue(1);
		// nothing waits on a closed session
		this.session.upgrade().refuse(this.refused::incrementAndGet);
		assertThat(this.refused).hasValue(2);
	}

	@Test
	void shouldKeepOnlyABoundedNumberOfRefusalsWaiting() {
		// a client that opens socket after socket with the sid of a session whose probe
		// never answers: the ones past the bound are closed at once
		this.session.upgrade().begin(this.probe);
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < WaitingRefusals.MAX + 3; i++) {
			int n = i;
			this.session.upgrade().refuse(() -> order.add(n));
		}
		assertThat(order).containsExactly(WaitingRefusals.MAX, WaitingRefusals.MAX + 1, WaitingRefusals.MAX + 2);

		this.session.upgrade().probed(this.probe);

		assertThat(order).hasSize(WaitingRefusals.MAX + 3);
		this.session.upgrade().probed(this.probe);
		assertThat(order).as("each runs once").hasSize(WaitingRefusals.MAX + 3);
	}

	/** A WebSocket as the session sees it. */
	private static final class Socket implements WsOutbound {

		final AtomicInteger closes = new AtomicInteger();

		@Override
		public void drain() {
		}

		@Override
		public void close() {
			this.closes.incrementAndGet();
		}

	}

}
