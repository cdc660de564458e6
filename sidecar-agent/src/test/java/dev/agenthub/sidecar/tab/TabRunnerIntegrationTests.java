package dev.agenthub.sidecar.tab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.agentclient.protocol.TabStartRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class TabRunnerIntegrationTests {

	@TempDir
	Path dir;

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final StringBuffer output = new StringBuffer();

	private final TabReporter reporter = new TabReporter() {

		@Override
		public void started(String tabId, String command) {
			TabRunnerIntegrationTests.this.events.add("started:" + tabId + ":" + command);
		}

		@Override
		public void output(String tabId, String text, String stream) {
			// one append: the stdout and stderr pumps report from two threads
			TabRunnerIntegrationTests.this.output.append(stream + "|" + text);
		}

		@Override
		public void stopped(String tabId, int exitCode) {
			TabRunnerIntegrationTests.this.events.add("stopped:" + tabId + ":" + exitCode);
		}

	};

	private final TabRunner runner = new TabRunner(this.reporter, Path.of("."), 2, Duration.ofSeconds(2), 8192);

	@AfterEach
	void tearDown() throws InterruptedException {
		this.runner.stopAll(Duration.ofSeconds(10));
	}

	@Test
	void shouldRunATabStreamItsOutputAndReportItsExit() {
		assertThat(this.runner.start(
				new TabStartRequest("t1", "sh", List.of("-c", "echo one; echo two >&2; exit 4"), this.dir.toString())))
			.isTrue();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("stopped:t1:4"));
		assertThat(this.events).containsExactly("started:t1:sh", "stopped:t1:4");
		assertThat(this.output.toString()).contains("stdout|one\n").contains("stderr|two\n");
		assertThat(this.runner.describe()).isEmpty();
	}

	@Test
	void shouldKeepALongLivedTabListedUntilItIsStopped() {
		this.runner.start(new TabStartRequest("shell", "cat", List.of(), null));
		this.runner.start(new TabStartRequest("shell", "cat", List.of(), null));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("started:shell:cat"));
		assertThat(this.runner.describe()).containsExactly(Map.of("tabId", "shell", "command", "cat"));
		assertThat(this.runner.stop("shell")).isTrue();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.events.stream().anyMatch((e) -> e.startsWith("stopped:shell")));
		assertThat(this.events).filteredOn((e) -> e.startsWith("started")).hasSize(1);
		assertThat(this.runner.describe()).isEmpty();
		assertThat(this.runner.stop("shell")).isFalse();
	}

	@Test
	void shouldFeedWhatIsTypedIntoATabToItsStdinInOrder() {
		this.runner.start(new TabStartRequest("shell", "sh", List.of(), this.dir.toString()));
		assertThat(this.runner.input("shell", "echo one\n")).isTrue();
		assertThat(this.runner.input("shell", "echo tw")).isTrue();
		assertThat(this.runner.input("shell", "o; exit 3\n")).isTrue();

		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("stopped:shell:3"));
		assertThat(this.output.toString().replace("stdout|", "")).isEqualTo("one\ntwo\n");
		assertThat(this.runner.input("shell", "echo late\n")).isFalse();
		assertThat(this.runner.input("nobody", "echo\n")).isFalse();
	}

	@Test
	void shouldDropInputATabDoesNotReadAndSaySoOnce() {
		this.runner.start(new TabStartRequest("deaf", "sleep", List.of("30"), null));
		String page = "x".repeat(16 * 1024);
		int accepted = 0;
		for (int i = 0; i < 64; i++) {
			accepted += this.runner.input("deaf", page) ? 1 : 0;
		}
		// what the pipe holds (64 KB here) and the bound behind it; the rest dropped
		assertThat(accepted * page.length()).isLessThanOrEqualTo(TabRunner.MAX_PENDING_INPUT + 128 * 1024);
		assertThat(accepted).isLessThan(64);
		String said = this.output.toString();
		assertThat(said.split("input dropped", -1)).hasSize(2);
		assertThat(said).contains("stderr|[sidecar] input dropped: tab deaf has not read");
	}

	@Test
	void shouldReportATabThatCannotStart() {
		assertThat(this.runner.start(new TabStartRequest("bad", "/no/such/program", List.of(), null))).isFalse();

		assertThat(this.events).containsExactly("stopped:bad:-1");
		assertThat(this.output.toString()).startsWith("stderr|cannot start /no/such/program");
	}

	@Test
	void shouldStopAllTabsAndWaitForThem() throws Exception {
		this.runner.start(new TabStartRequest("a", "sleep", List.of("30"), null));
		this.runner.start(new TabStartRequest("b", "sleep", List.of("30"), null));
		assertThat(this.runner.start(new TabStartRequest("c", "sleep", List.of("30"), null))).isFalse();

		this.runner.stopAll(Duration.ofSeconds(10));

		assertThat(this.events).filteredOn((e) -> e.startsWith("stopped:a") || e.startsWith("stopped:b")).hasSize(2);
		assertThat(this.runner.start(new TabStartRequest("d", "echo", List.of(), null))).isFalse();
	}

}
