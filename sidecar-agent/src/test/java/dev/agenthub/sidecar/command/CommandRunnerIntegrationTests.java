package dev.agenthub.sidecar.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.agenthub.agentclient.protocol.CommandRequest;
import dev.agenthub.contracts.event.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class CommandRunnerIntegrationTests {

	@TempDir
	Path dir;

	private final RecordingTaskReporter reporter = new RecordingTaskReporter();

	private CommandRunner runner;

	private CommandRunner runner() {
		if (this.runner == null) {
			this.runner = new CommandRunner(this.reporter, this.dir, 4, Duration.ofSeconds(2), 8192);
		}
		return this.runner;
	}

	@AfterEach
	void tearDown() {
		if (this.runner != null) {
			this.runner.close();
		}
	}

	private static CommandRequest command(String taskId, List<String> argv, String cwd, Map<String, String> env,
			Integer timeout) {
		return new CommandRequest(taskId, argv.get(0), argv.subList(1, argv.size()), cwd, env, timeout);
	}

	@Test
	void shouldRunEchoAndReportRunningOutputThenCompleted() {
		runner().run(command("t1", List.of("echo", "hello", "world"), null, Map.of(), null));

		RecordingTaskReporter.Status status = this.reporter.awaitFinal("t1");
		assertThat(status.status()).isEqualTo(TaskState.COMPLETED);
		assertThat(status.exitCode()).isZero();
		assertThat(this.reporter.stdout.toString()).isEqualTo("hello world\n");
		assertThat(this.reporter.events).first().isEqualTo("status:running:t1");
		assertThat(this.reporter.events).last().isEqualTo("status:completed:t1");
	}

	@Test
	void shouldReportStderrAndANonZeroExitAsFailed() {
		runner().run(command("t2", List.of("sh", "-c", "echo out; echo err >&2; exit 3"), null, Map.of(), null));

		RecordingTaskReporter.Status status = this.reporter.awaitFinal("t2");
		assertThat(status.status()).isEqualTo(TaskState.FAILED);
		assertThat(status.exitCode()).isEqualTo(3);
		assertThat(status.error()).contains("3");
		assertThat(this.reporter.stdout.toString()).isEqualTo("out\n");
		assertThat(this.reporter.stderr.toString()).isEqualTo("err\n");
	}

	@Test
	void shouldPassArgumentsAsArgvWithoutAShell() {
		runner().run(command("t3", List.of("echo", "$HOME; rm -rf /", "*"), null, Map.of(), null));

		assertThat(this.reporter.awaitFinal("t3").status()).isEqualTo(TaskState.COMPLETED);
		assertThat(this.reporter.stdout.toString()).isEqualTo("$HOME; rm -rf / *\n");
	}

	@Test
	void shouldRunInTheRequestedDirectoryWithTheAddedEnvironment() throws Exception {
		Files.createDirectory(this.dir.resolve("sub"));
		runner().run(command("t4", List.of("sh", "-c", "pwd; echo $GREETING; test -n \"$PATH\" && echo path"), "sub",
				Map.of("GREETING", "hi there"), null));

		assertThat(this.reporter.awaitFinal("t4").status()).isEqualTo(TaskState.COMPLETED);
		assertThat(this.reporter.stdout.toString())
			.isEqualTo(this.dir.resolve("sub").toRealPath() + "\nhi there\npath\n");
	}

	@Test
	void shouldFailWhenTheExecutableOrDirectoryIsMissing() {
		runner().run(command("t5", List.of("/no/such/binary"), null, Map.of(), null));
		runner().run(command("t6", List.of("echo"), "missing-dir", Map.of(), null));

		RecordingTaskReporter.Status spawn = this.reporter.awaitFinal("t5");
		assertThat(spawn.status()).isEqualTo(TaskState.FAILED);
		assertThat(spawn.error()).contains("cannot start /no/such/binary");
		RecordingTaskReporter.Status cwd = this.reporter.awaitFinal("t6");
		assertThat(cwd.status()).isEqualTo(TaskState.FAILED);
		assertThat(cwd.error()).contains("working directory does not exist");
		assertThat(this.reporter.events).doesNotContain("status:running:t5", "status:running:t6");
	}

	@Test
	void shouldKillATaskThatOutlivesItsTimeout() {
		runner().run(command("t7", List.of("sh", "-c", "echo started; sleep 30"), null, Map.of(), 1));

		RecordingTaskReporter.Status status = this.reporter.awaitFinal("t7");
		assertThat(status.status()).isEqualTo(TaskState.CANCELLED);
		assertThat(status.error()).isEqualTo("timeout");
		assertThat(this.reporter.stdout.toString()).isEqualTo("started\n");
	}

	@Test
	void shouldCancelARunningTaskAndItsChildren() throws Exception {
		Path marker = this.dir.resolve("child.pid");
		runner().run(command("t8", List.of("sh", "-c", "sleep 30 & echo $! > child.pid; echo ready; wait"), null,
				Map.of(), null));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reporter.stdout.toString().contains("ready"));
		long childPid = Long.parseLong(Files.readString(marker).trim());

		assertThat(runner().cancel("t8")).isTrue();

		RecordingTaskReporter.Status status = this.reporter.awaitFinal("t8");
		assertThat(status.status()).isEqualTo(TaskState.CANCELLED);
		assertThat(status.error()).isEqualTo("cancelled");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.of(childPid).map((p) -> !p.isAlive()).orElse(true));
		assertThat(runner().cancel("unknown")).isFalse();
	}

	@Test
	void shouldStreamOutputBeforeTheProcessEnds() {
		runner().run(command("t9", List.of("sh", "-c", "echo first; sleep 30"), null, Map.of(), null));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.reporter.stdout.toString().equals("first\n"));
		assertThat(this.reporter.statuses).extracting(RecordingTaskReporter.Status::status)
			.containsExactly(TaskState.RUNNING);
		runner().cancel("t9");
		assertThat(this.reporter.awaitFinal("t9").status()).isEqualTo(TaskState.CANCELLED);
	}

	@Test
	void shouldSplitLargeOutputIntoBoundedChunks() {
		this.runner = new CommandRunner(this.reporter, this.dir, 4, Duration.ofSeconds(2), 1024);
		runner().run(command("t10", List.of("head", "-c", "100000", "/dev/zero"), null, Map.of(), null));

		assertThat(this.reporter.awaitFinal("t10").status()).isEqualTo(TaskState.COMPLETED);
		assertThat(this.reporter.stdout.length()).isEqualTo(100000);
		assertThat(this.reporter.events.stream().filter("stdout:t10"::equals).count()).isGreaterThanOrEqualTo(98);
	}

	@Test
	void shouldRefuseTasksBeyondTheLimit() {
		this.runner = new CommandRunner(this.reporter, this.dir, 1, Duration.ofSeconds(2), 8192);
		runner().run(command("a", List.of("sleep", "30"), null, Map.of(), null));
		runner().run(command("b", List.of("echo"), null, Map.of(), null));

		RecordingTaskReporter.Status refused = this.reporter.awaitFinal("b");
		assertThat(refused.status()).isEqualTo(TaskState.FAILED);
		assertThat(refused.error()).contains("too many running tasks");
		runner().cancel("a");
		assertThat(this.reporter.awaitFinal("a").status()).isEqualTo(TaskState.CANCELLED);
	}

}
