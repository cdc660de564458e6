package dev.agenthub.sidecar.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class GitStatusReporterIntegrationTests {

	@TempDir
	Path repo;

	private final List<GitStatus> reports = new CopyOnWriteArrayList<>();

	@Test
	void shouldReportARealRepositoryOnlyWhenItChangesOrEveryNTicks() throws Exception {
		git("init", "-q", "-b", "main");
		Files.writeString(this.repo.resolve("a.txt"), "hello");
		GitStatusReporter reporter = new GitStatusReporter(this.repo, 3, this.reports::add);

		reporter.tick();
		assertThat(this.reports).hasSize(1);
		assertThat(this.reports.get(0).branch()).isEqualTo("main");
		assertThat(this.reports.get(0).files()).containsExactly(new GitFile("a.txt", "untracked", "??", false, null));

		reporter.tick();
		reporter.tick();
		assertThat(this.reports).hasSize(1);
		reporter.tick();
		assertThat(this.reports).hasSize(2);

		git("add", "a.txt");
		reporter.tick();
		assertThat(this.reports).hasSize(3);
		assertThat(this.reports.get(2).files()).containsExactly(new GitFile("a.txt", "added", "A.", true, null));
	}

	@Test
	void shouldReportNothingOutsideARepository() {
		GitStatusReporter reporter = new GitStatusReporter(this.repo, 1, this.reports::add);

		reporter.tick();

		assertThat(this.reports).isEmpty();
	}

	private void git(String... args) throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(this.repo.toFile()).inheritIO().start();
		assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isZero();
	}

}
