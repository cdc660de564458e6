package dev.agenthub.bench.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child generator JVMs (the same jar, a {@code worker-*} mode): each process may hold
 * 20,000 descriptors here, so big connection counts are spread over several. The child's
 * stdout reports {@code READY <ok> <failed>}; closing its stdin stops it.
 */
public final class Fork {

	private final Process process;

	private final CompletableFuture<int[]> ready = new CompletableFuture<>();

	private final CompletableFuture<Void> started = new CompletableFuture<>();

	private final java.util.concurrent.atomic.AtomicInteger progress = new java.util.concurrent.atomic.AtomicInteger();

	private Fork(Process process) {
		this.process = process;
		Thread reader = new Thread(this::readStdout, "fork-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a worker.
	 * @param workerArgs the arguments after the jar ({@code worker-idle --count=...})
	 * @param heap the child's -Xmx, e.g. {@code 256m}
	 * @return the fork
	 * @throws IOException when it cannot start
	 */
	public static Fork start(List<String> workerArgs, String heap) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx" + heap,
				"-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dbench.loopThreads=1", "-jar",
				System.getProperty("java.class.path")));
		command.addAll(workerArgs);
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		return new Fork(builder.start());
	}

	/**
	 * @return completes with {ok, failed} when the worker has opened its connections
	 */
	public CompletableFuture<int[]> ready() {
		return this.ready;
	}

	/** Tells the worker to close its connections and waits (bounded) for it to exit. */
	public void stop() throws InterruptedException {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// already gone
		}
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	/**
	 * Waits (bounded) until the worker's JVM is up, so that its start-up time is not
	 * counted as connecting time.
	 * @param timeout the bound
	 * @throws Exception on timeout or when the worker died
	 */
	public void awaitStarted(Duration timeout) throws Exception {
		this.started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Tells a started worker to begin opening its connections. */
	public void go() throws IOException {
		this.process.getOutputStream().write("GO\n".getBytes(StandardCharsets.US_ASCII));
		this.process.getOutputStream().flush();
	}

	/**
	 * @return connections the worker reported open so far ({@code PROGRESS <n>} lines)
	 */
	public int progress() {
		return this.progress.get();
	}

	public long pid() {
		return this.process.pid();
	}

	private void readStdout() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (line.startsWith("STARTED")) {
					this.started.complete(null);
				}
				else if (line.startsWith("PROGRESS ")) {
					this.progress.set(Integer.parseInt(line.substring(9).trim()));
				}
				else if (line.startsWith("READY ")) {
					String[] parts = line.split(" ");
					this.ready.complete(new int[] { Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) });
				}
			}
		}
		catch (IOException ex) {
			// the child went away
		}
		this.ready.completeExceptionally(new IllegalStateException("worker " + this.process.pid() + " exited"));
		this.started.completeExceptionally(new IllegalStateException("worker " + this.process.pid() + " exited"));
	}

	/** Waits for all, bounded. */
	static int[] awaitAll(List<Fork> forks, Duration timeout) throws Exception {
		int[] total = new int[2];
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Fork fork : forks) {
			int[] r = fork.ready().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			total[0] += r[0];
			total[1] += r[1];
		}
		return total;
	}

}
