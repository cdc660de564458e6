package dev.agenthub.integration.shim;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryReleaseStoreTests extends ReleaseStoreContractTests {

	@TempDir
	Path dir;

	@Override
	ReleaseStore createStore() {
		return new DirectoryReleaseStore(this.dir.resolve("shim"), CHUNK);
	}

	@Override
	long leftovers() throws Exception {
		Path uploads = this.dir.resolve("shim/.uploads");
		if (!Files.isDirectory(uploads)) {
			return 0;
		}
		try (var parts = Files.list(uploads)) {
			return parts.count();
		}
	}

	@Test
	void shouldLeaveNoPartFilesBehind() throws Exception {
		put("1.0.0", random(5000, 1), 1 << 20);
		put("1.0.0", random(5000, 1), 1 << 20);
		try (var parts = Files.list(this.dir.resolve("shim/.uploads"))) {
			assertThat(parts).isEmpty();
		}
		assertThat(this.dir.resolve("shim/1.0.0/chromium")).hasSize(5000);
	}

}
