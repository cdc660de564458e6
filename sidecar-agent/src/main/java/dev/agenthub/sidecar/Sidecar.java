package dev.agenthub.sidecar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.agenthub.agentclient.AgentClient;
import dev.agenthub.contracts.event.LifecycleState;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.sidecar.command.CommandRunner;
import dev.agenthub.sidecar.git.GitStatusReporter;
import dev.agenthub.sidecar.stats.StatsReader;
import dev.agenthub.sidecar.tab.TabRunner;
import dev.agenthub.sidecar.upload.FileReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.agenthub.sidecar.tailscale.TailscaleReporter;
import dev.agenthub.sidecar.tailscale.TailscaleStatus;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running sidecar agent. {@link #start(SidecarConfig)} connects to the hub, reports
 * {@code lifecycle starting}, starts the boot tabs and the git/stats reporters, then
 * reports {@code ready}; {@link #stop()} reports {@code shutting_down}, stops tabs and
 * tasks, and closes with {@code off}.
 */
public final class Sidecar implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Sidecar.class);

	private final SidecarConfig config;

	private final AgentClient client;

	private final CommandRunner commands;

	private final TabRunner tabs;

	private final ScheduledExecutorService scheduler;

	private final TailscaleReporter tailscale;

	private final ExecutorService uploads;

	private final CountDownLatch terminated = new CountDownLatch(1);

	private final Object stopLock = new Object();

	private boolean stopped;

	private Sidecar(SidecarConfig config) {
		this.config = config;
		ClientReporter reporter = new ClientReporter();
		this.commands = new CommandRunner(reporter, config.repoDir(), config.maxTasks(), config.killGrace(),
				config.chunkBytes());
		this.tabs = new TabRunner(reporter, config.repoDir(), config.maxTabs(), config.killGrace(),
				config.chunkBytes());
		String tailscaleBinary = TailscaleReporter.findOnPath(System.getenv("PATH"));
		// Uploads go anywhere but /proc, /sys and /dev unless HUB_AGENT_UPLOAD_ROOT
		// narrows them; relative paths are in the repository.
		String uploadRoot = System.getenv("HUB_AGENT_UPLOAD_ROOT");
		this.uploads = Executors
			.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("sidecar-uploads").factory());
		AgentClient[] sender = new AgentClient[1];
		FileReceiver files = new FileReceiver(Path.of((uploadRoot != null && !uploadRoot.isBlank()) ? uploadRoot : "/"),
				config.repoDir(), this.uploads, (type, data) -> sender[0].publish(type, data));
		this.tailscale = (tailscaleBinary != null) ? new TailscaleReporter(tailscaleBinary, this::reportTailscale)
				: null;
		this.client = AgentClient.builder()
			.uri(config.hubUrl())
			.token(config.token())
			.workspaceId(config.workspaceId())
			.agentId(config.agentId())
			.version(config.version())
			.readIdleTimeout(config.readIdleTimeout())
			.handler(new SidecarHandler(this.commands, this.tabs, config.version(), this.terminated::countDown, files))
			.heartbeat((data) -> {
				ArrayNode list = data.putArray("tabs");
				this.tabs.describe()
					.forEach((
							tab) -> list.addObject().put("tabId", tab.get("tabId")).put("command", tab.get("command")));
			})
			.build();
		reporter.client(this.client);
		sender[0] = this.client;
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sidecar-reporters").factory());
	}

	private void reportTailscale(TailscaleStatus status) {
		this.client.publish(MessageTypes.TAILSCALE_STATUS, status.toEventData());
	}

	private void contributeHeartbeat(ObjectNode data) {
		ArrayNode list = data.putArray("tabs");
		this.tabs.describe()
			.forEach((tab) -> list.addObject().put("tabId", tab.get("tabId")).put("command", tab.get("command")));
		TailscaleStatus status = (this.tailscale != null) ? this.tailscale.last() : null;
		if (status != null) {
			data.putObject("tailscale")
				.put("ip", status.ip())
				.put("hostname", status.hostname())
				.put("online", status.online());
		}
	}

	/**
	 * Starts a sidecar.
	 * @param config the configuration
	 * @return the running sidecar; {@link #stop()} it
	 */
	public static Sidecar start(SidecarConfig config) {
		Sidecar sidecar = new Sidecar(config);
		sidecar.boot();
		return sidecar;
	}

	private void boot() {
		logger.info("Sidecar agent {} for workspace {} connecting to {} (repository {})", this.config.version(),
				this.config.workspaceId(), this.config.hubUrl(), this.config.repoDir());
		this.client.lifecycle(LifecycleState.STARTING);
		progress("connect", 10, "connecting to the hub");
		this.client.start();
		int count = this.config.tabs().size();
		int index = 0;
		for (TabStartRequest tab : this.config.tabs()) {
			progress("tabs", 20 + (60 * index++) / Math.max(1, count), "starting tab " + tab.tabId());
			this.tabs.start(tab);
		}
		StatsReader stats = new StatsReader(java.nio.file.Path.of("/proc"), this.config.repoDir());
		GitStatusReporter git = new GitStatusReporter(this.config.repoDir(), this.config.gitForceEvery(),
				(status) -> this.client.publish(MessageTypes.GIT_STATUS, status.toEventData()));
		schedule(() -> this.client.publish(MessageTypes.STATS, stats.sample()), this.config.statsInterval());
		schedule(git::tick, this.config.gitInterval());
		if (this.tailscale != null) {
			schedule(this.tailscale::tick, this.config.statsInterval());
		}
		progress("ready", 100, "agent ready");
		this.client.lifecycle(LifecycleState.READY);
	}

	private void schedule(Runnable task, Duration interval) {
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Periodic report failed", ex);
			}
		}, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void progress(String step, int percent, String message) {
		this.client.publish(MessageTypes.STARTUP_PROGRESS,
				Map.of("step", step, "percent", percent, "message", message));
	}

	/**
	 * Stops: reports {@code shutting_down}, stops reporters, tabs (waiting for their
	 * {@code tab:stopped}) and tasks, then {@code off} and a normal close. Blocks for at
	 * most about the kill grace plus the client's stop timeout. Idempotent.
	 */
	public void stop() {
		synchronized (this.stopLock) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
		}
		logger.info("Sidecar agent stopping");
		this.client.lifecycle(LifecycleState.SHUTTING_DOWN);
		this.scheduler.shutdownNow();
		this.uploads.shutdownNow();
		this.commands.close();
		try {
			this.tabs.stopAll(this.config.killGrace().plusSeconds(2));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.client.stop().block(this.client.config().stopTimeout().plusSeconds(1));
		this.terminated.countDown();
		logger.info("Sidecar agent stopped");
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * Waits until the sidecar stopped (by {@link #stop()} or because the client gave up).
	 */
	public void awaitTermination() throws InterruptedException {
		this.terminated.await();
	}

	/**
	 * The agent client, e.g. to look at its state from a test.
	 * @return the client
	 */
	public AgentClient client() {
		return this.client;
	}

	public SidecarConfig config() {
		return this.config;
	}

	/**
	 * How many commands are running.
	 * @return the count
	 */
	public int runningTasks() {
		return this.commands.runningTasks();
	}

}
