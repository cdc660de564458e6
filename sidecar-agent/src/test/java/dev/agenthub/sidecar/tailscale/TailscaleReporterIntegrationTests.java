package dev.agenthub.sidecar.tailscale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class TailscaleReporterIntegrationTests {

	private static final String RUNNING = TailscaleStatusTests.RUNNING;

	@TempDir
	Path dir;

	@Test
	void shouldRunTheExecutableAndReportOnlyChanges() throws Exception {
		Path fake = this.dir.resolve("tailscale");
		Files.writeString(fake, "#!/bin/sh\ncat <<'JSON'\n" + RUNNING + "\nJSON\n");
		Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
		List<TailscaleStatus> reports = new CopyOnWriteArrayList<>();
		String found = TailscaleReporter.findOnPath("/nonexistent:" + this.dir);
		TailscaleReporter reporter = new TailscaleReporter(found, reports::add);

		reporter.tick();
		reporter.tick();

		assertThat(found).isEqualTo(fake.toString());
		assertThat(reports).containsExactly(new TailscaleStatus("100.64.0.7", "ws-w1", true));
		assertThat(TailscaleReporter.findOnPath("/nonexistent")).isNull();
	}

}
