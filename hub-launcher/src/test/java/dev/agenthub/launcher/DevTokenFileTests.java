package dev.agenthub.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11 item 8: {@code dev-tokens.json} is readable by its owner only. */
class DevTokenFileTests {

	@TempDir
	Path dataDir;

	@Test
	void shouldWriteTheTokensReadableByTheOwnerOnly() throws Exception {
		Path file = DevTokenFile.write(this.dataDir.resolve("data"), Map.of("user", "eyJ.user"));
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(DevTokenFile.OWNER_ONLY);
		assertThat(Files.readString(file)).contains("eyJ.user");
	}

	@Test
	void shouldReplaceAnOlderWorldReadableFile() throws Exception {
		Path old = this.dataDir.resolve(DevTokenFile.NAME);
		Files.writeString(old, "{\"admin\":\"old\"}");
		Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
		Path file = DevTokenFile.write(this.dataDir, Map.of("admin", "eyJ.new"));
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(DevTokenFile.OWNER_ONLY);
		assertThat(Files.readString(file)).doesNotContain("old");
		try (var listing = Files.list(this.dataDir)) {
			assertThat(listing.map((path) -> path.getFileName().toString())).containsExactly(DevTokenFile.NAME);
		}
	}

}
