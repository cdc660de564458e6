package dev.agenthub.sidecar.tab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.sidecar.process.ChildEnvironment;
import dev.agenthub.sidecar.process.OutputPump;
import dev.agenthub.sidecar.process.ProcessTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tabs: one process per tab id, its stdin kept open (so shells and REPLs stay up)
 * and fed what is typed into the tab ({@link #input}, in order, by a writer of its own so
 * that a tab that does not read never blocks the agent), its stdout/stderr streamed as
 * they arrive; its environment is {@link ChildEnvironment}'s allow-list. A tab that fails
 * to start reports its error as stderr output and {@code tab:stopped} with exit code -1.
 * At most {@code maxTabs} run.
 */
public final class TabRunner implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TabRunner.class);

	private static final long PIPE_DRAIN_MILLIS = 2000;

	/**
	 * Most bytes typed into a tab and not yet read by it: past that, input is dropped and
	 * the tab's stderr says so (a process that never reads its stdin must not grow the
	 * agent's memory).
	 */
	static final int MAX_PENDING_INPUT = 256 * 1024;

	private final TabReporter reporter;

	private final Path defaultCwd;

	private final int maxTabs;

	private final Duration killGrace;

	private final int chunkBytes;

	private final Map<String, Tab> tabs = new ConcurrentHashMap<>();

	private volatile boolean closed;

	public TabRunner(TabReporter reporter, Path defaultCwd, int maxTabs, Duration killGrace, int chunkBytes) {
		this.reporter = reporter;
		this.defaultCwd = defaultCwd;
		this.maxTabs = maxTabs;
		this.killGrace = killGrace;
		this.chunkBytes = chunkBytes;
	}

	/**
	 * Starts a tab unless one with the same id runs.
	 * @param request the tab
	 * @return {@code false} if it was refused or could not start
	 */
	public boolean start(TabStartRequest request) {
		String tabId = request.tabId();
		Tab tab = new Tab(request);
		synchronized (this.tabs) {
			if (this.closed) {
				return false;
			}
			if (this.tabs.containsKey(tabId)) {
				logger.warn("Tab {} is already running; ignoring tab:start", tabId);
				return false;
			}
			if (this.tabs.size() >= this.maxTabs) {
				return failed(tabId, "too many tabs (limit " + this.maxTabs + ")");
			}
			this.tabs.put(tabId, tab);
		}
		Path cwd = (request.cwd() == null || request.cwd().isBlank()) ? this.defaultCwd
				: this.defaultCwd.resolve(request.cwd()).normalize();
		if (!Files.isDirectory(cwd)) {
			this.tabs.remove(tabId, tab);
			return failed(tabId, "working directory does not exist: " + cwd);
		}
		List<String> argv = new java.util.ArrayList<>(request.args().size() + 1);
		argv.add(request.command());
		argv.addAll(request.args());
		Process process;
		try {
			process = ChildEnvironment.apply(new ProcessBuilder(argv).directory(cwd.toFile()), null).start();
		}
		catch (IOException | RuntimeException ex) {
			this.tabs.remove(tabId, tab);
			return failed(tabId, "cannot start " + request.command() + ": " + ex.getMessage());
		}
		tab.process = process;
		Thread writer = Thread.ofVirtual().name("tab-" + tabId + "-in").start(() -> tab.writeInput(process));
		this.reporter.started(tabId, request.command());
		OutputPump stdout = OutputPump.start(process.getInputStream(), this.chunkBytes,
				(text) -> this.reporter.output(tabId, text, "stdout"), "tab-" + tabId + "-out");
		OutputPump stderr = OutputPump.start(process.getErrorStream(), this.chunkBytes,
				(text) -> this.reporter.output(tabId, text, "stderr"), "tab-" + tabId + "-err");
		Thread.ofVirtual().name("tab-" + tabId).start(() -> {
			try {
				int exitCode = process.waitFor();
				stdout.awaitEnd(PIPE_DRAIN_MILLIS);
				stderr.awaitEnd(PIPE_DRAIN_MILLIS);
				this.tabs.remove(tabId, tab);
				this.reporter.stopped(tabId, exitCode);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				writer.interrupt();
				tab.ended.countDown();
			}
		});
		return true;
	}

	private boolean failed(String tabId, String error) {
		logger.warn("Tab {}: {}", tabId, error);
		this.reporter.output(tabId, error + "\n", "stderr");
		this.reporter.stopped(tabId, -1);
		return false;
	}

	/**
	 * Queues text typed into a tab for its stdin.
	 * @param tabId the tab
	 * @param data the text (UTF-8 on the pipe)
	 * @return {@code false} if no such tab runs, or it has not read
	 * {@value #MAX_PENDING_INPUT} bytes typed before (the text is then dropped, and the
	 * tab's stderr says so once)
	 */
	public boolean input(String tabId, String data) {
		Tab tab = this.tabs.get(tabId);
		if (tab == null || tab.process == null) {
			return false;
		}
		byte[] bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		if (tab.pendingInput.addAndGet(bytes.length) > MAX_PENDING_INPUT) {
			tab.pendingInput.addAndGet(-bytes.length);
			if (!tab.inputDropped) {
				tab.inputDropped = true;
				this.reporter.output(tabId, "[sidecar] input dropped: tab " + tabId + " has not read the "
						+ MAX_PENDING_INPUT + " bytes typed before\n", "stderr");
			}
			return false;
		}
		tab.input.add(bytes);
		return true;
	}

	/**
	 * Stops a tab: closes its stdin and kills its process tree in the background; it then
	 * reports {@code tab:stopped}.
	 * @param tabId the tab
	 * @return {@code false} if no such tab runs
	 */
	public boolean stop(String tabId) {
		Tab tab = this.tabs.get(tabId);
		if (tab == null || tab.process == null) {
			return false;
		}
		Thread.ofVirtual().name("tab-stop-" + tabId).start(() -> kill(tab));
		return true;
	}

	private void kill(Tab tab) {
		try {
			tab.process.getOutputStream().close();
		}
		catch (IOException ex) {
			logger.debug("Closing stdin of tab {} failed: {}", tab.request.tabId(), ex.getMessage());
		}
		try {
			ProcessTrees.kill(tab.process, this.killGrace);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The running tabs, as heartbeats list them.
	 * @return {@code {tabId, command}} per tab
	 */
	public List<Map<String, String>> describe() {
		return this.tabs.values()
			.stream()
			.map((tab) -> Map.of("tabId", tab.request.tabId(), "command", tab.request.command()))
			.toList();
	}

	/**
	 * Stops every tab and waits (bounded) until they reported {@code tab:stopped}.
	 * @param timeout how long to wait in total
	 */
	public void stopAll(Duration timeout) throws InterruptedException {
		synchronized (this.tabs) {
			this.closed = true;
		}
		List<Tab> running = List.copyOf(this.tabs.values());
		running.forEach((tab) -> {
			if (tab.process != null) {
				Thread.ofVirtual().name("tab-stop-" + tab.request.tabId()).start(() -> kill(tab));
			}
		});
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Tab tab : running) {
			tab.ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void close() throws InterruptedException {
		stopAll(this.killGrace.plusSeconds(3));
	}

	private static final class Tab {

		final TabStartRequest request;

		final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

		volatile Process process;

		/** Typed text in order, for {@link #writeInput}. */
		final java.util.concurrent.BlockingQueue<byte[]> input = new java.util.concurrent.LinkedBlockingQueue<>();

		final java.util.concurrent.atomic.AtomicInteger pendingInput = new java.util.concurrent.atomic.AtomicInteger();

		/**
		 * Whether the tab's stderr said input was dropped, since its input last drained.
		 */
		volatile boolean inputDropped;

		Tab(TabStartRequest request) {
			this.request = request;
		}

		/**
		 * Writes typed text to the process's stdin until it ends (interrupted) or its
		 * stdin closes.
		 */
		void writeInput(Process process) {
			java.io.OutputStream stdin = process.getOutputStream();
			try {
				while (true) {
					byte[] bytes = this.input.take();
					stdin.write(bytes);
					stdin.flush();
					if (this.pendingInput.addAndGet(-bytes.length) == 0) {
						this.inputDropped = false;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				logger.debug("Tab {} no longer reads its input: {}", this.request.tabId(), ex.getMessage());
			}
			finally {
				this.input.clear();
			}
		}

	}

}
