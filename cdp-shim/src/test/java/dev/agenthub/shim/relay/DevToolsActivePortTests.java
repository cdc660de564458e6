package dev.agenthub.shim.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DevToolsActivePortTests {

	@Test
	void shouldWritePortThenBrowserPath(@TempDir Path dir) throws IOException {
		Path profile = dir.resolve("not/yet/there");
		Path file = DevToolsActivePort.write(profile, 40123, "/devtools/browser/abc");
		assertThat(file).isEqualTo(profile.resolve("DevToolsActivePort"));
		assertThat(Files.readAllLines(file)).containsExactly("40123", "/devtools/browser/abc");
		try (var files = Files.list(profile)) {
			assertThat(files).containsExactly(file);
		}
	}

}
