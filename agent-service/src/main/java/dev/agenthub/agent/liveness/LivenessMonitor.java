package dev.agenthub.agent.liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.lease.Lease;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.session.AgentRegistry;
import dev.agenthub.agent.session.AgentSession;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.agent.task.LostTasks;
import dev.agenthub.agent.task.TaskTracker;
import dev.agenthub.contracts.error.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One timer for the whole node (not one per session). Every tick it closes sessions that
 * sent nothing for {@code missedHeartbeats} intervals (4011, status {@code timeout}),
 * pings every session once per interval, renews leases every third of their time to live
 * (a lost lease closes the session with 4009), writes who was heard from in one statement
 * per interval, and starts writing running tasks' output tails (without waiting for it).
 */
@Component
public class LivenessMonitor implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LivenessMonitor.class);

	private static final Lease LOST = new Lease("-", "-", "-", -1);

	private final AgentRegistry registry;

	private final WorkspaceLeases leases;

	private final AgentStore agents;

	private final TaskTracker tasks;

	private final AgentProperties properties;

	private final Duration tick;

	private volatile Disposable timer;

	private final AtomicBoolean flushing = new AtomicBoolean();

	private volatile Disposable flush;

	private final LostTasks lostTasks;

	private final AtomicBoolean sweeping = new AtomicBoolean();

	private volatile Disposable sweep;

	private long ticks;

	public LivenessMonitor(AgentRegistry registry, WorkspaceLeases leases, AgentStore agents, TaskTracker tasks,
			AgentProperties properties, LostTasks lostTasks) {
		this.lostTasks = lostTasks;
		this.registry = registry;
		this.leases = leases;
		this.agents = agents;
		this.tasks = tasks;
		this.properties = properties;
		long quarter = properties.heartbeatInterval().toMillis() / 4;
		this.tick = Duration.ofMillis(Math.max(20, Math.min(1000, quarter)));
	}

	@Override
	public void start() {
		this.timer = Flux.interval(this.tick, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((n) -> tick().onErrorResume((ex) -> {
				logger.warn("Liveness tick failed: {}", ex.toString());
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	private Mono<Void> tick() {
		long now = System.nanoTime();
		long ticksPerInterval = Math.max(1, this.properties.heartbeatInterval().toMillis() / this.tick.toMillis());
		long ticksPerFlush = Math.max(1, this.properties.taskFlushInterval().toMillis() / this.tick.toMillis());
		boolean intervalDue = (this.ticks % ticksPerInterval) == 0;
		boolean flushDue = (this.ticks % ticksPerFlush) == 0;
		long sweepMillis = Math.min(30_000, this.properties.lostTaskTimeout().toMillis() / 2);
		boolean sweepDue = (this.ticks % Math.max(1, sweepMillis / this.tick.toMillis())) == 0;
		this.ticks++;
		long silence = this.properties.heartbeatInterval().toNanos() * this.properties.missedHeartbeats();
		long renewEvery = this.properties.leaseTtl().toNanos() / 3;
		List<String> heard = new ArrayList<>();
		for (AgentSession session : this.registry.sessions()) {
			if (!session.isRegistered() || session.connection().isClosed()) {
				continue;
			}
			if (now - session.lastHeardNanos() > silence) {
				session.end(AgentSession.End.TIMEOUT, CloseCode.HEARTBEAT_TIMEOUT,
						"no heartbeat for " + Duration.ofNanos(now - session.lastHeardNanos()).toMillis() + " ms");
				continue;
			}
			if (intervalDue) {
				session.connection().transport().ping();
				if (session.takeHeard()) {
					heard.add(session.sessionId());
				}
			}
			Lease lease = session.lease();
			if (lease != null && now - session.leaseRenewedNanos() > renewEvery) {
				session.leaseRenewed(now);
				renew(session, lease);
			}
		}
		if (flushDue) {
			flush();
		}
		if (sweepDue) {
			sweep();
		}
		return this.agents.heartbeats(heard, Instant.now());
	}

	/**
	 * Writes running tasks' output tails on a subscription of its own, one flush at a
	 * time (a flush falling due while the previous one runs is skipped; the next takes
	 * what changed meanwhile). The tick never waits for it: however many tails there are
	 * to write, or however slow the database is to take them, timeouts, pings and lease
	 * renewals keep their pace for every workspace.
	 */
	private void flush() {
		if (!this.flushing.compareAndSet(false, true)) {
			return;
		}
		this.flush = this.tasks.flush(Instant.now())
			.doFinally((signal) -> this.flushing.set(false))
			.subscribe(null, (ex) -> logger.warn("Writing task output failed: {}", ex.toString()));
	}

	/**
	 * Ends the tasks of agents gone past {@code lost-task-timeout}, on a subscription of
	 * its own like {@link #flush()} (one pass at a time; the tick never waits for it).
	 * Every node sweeps; a task is ended, and its status published, by the one whose
	 * update changed its row.
	 */
	private void sweep() {
		if (!this.sweeping.compareAndSet(false, true)) {
			return;
		}
		this.sweep = this.lostTasks.sweep(Instant.now(), this.properties.lostTaskTimeout())
			.doFinally((signal) -> this.sweeping.set(false))
			.subscribe(null, (ex) -> logger.warn("Ending lost tasks failed: {}", ex.toString()));
	}

	private void renew(AgentSession session, Lease lease) {
		this.leases.renew(lease)
			.flatMap((held) -> held ? Mono.just(lease) : this.leases.reacquire(lease))
			.defaultIfEmpty(LOST)
			.subscribe((current) -> {
				if (session.lease() != lease) {
					return;
				}
				if (current == LOST) {
					session.end(AgentSession.End.REPLACED, CloseCode.REPLACED,
							"the workspace's lease was lost (a newer agent holds it)");
				}
				else if (current != lease) {
					// The lease had vanished (expired, or Redis lost it) and nobody else
					// took it: this session holds it again, under a new fence.
					session.renewedLease(current);
				}
			}, (ex) -> {
				// Redis is unreachable: keep the agent; the next renewal tells whether
				// the
				// lease survived.
				logger.warn("Could not renew lease of workspace {}: {}", lease.workspaceId(), ex.toString());
			});
	}

	@Override
	public void stop() {
		Disposable timer = this.timer;
		if (timer != null) {
			timer.dispose();
		}
		Disposable flush = this.flush;
		if (flush != null) {
			flush.dispose();
		}
		Disposable sweep = this.sweep;
		if (sweep != null) {
			sweep.dispose();
		}
		this.timer = null;
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

}
