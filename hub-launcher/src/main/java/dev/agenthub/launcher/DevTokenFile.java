package dev.agenthub.launcher;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import dev.agenthub.contracts.codec.HubJson;

/**
 * {@code <data dir>/dev-tokens.json}: the development tokens for scripts, readable and
 * writable by its owner only ({@code rw-------}). It is written to a private temporary
 * file first and moved into place, so no other user can read it even for an instant, and
 * an older file with wider permissions is replaced, not reused.
 */
final class DevTokenFile {

	static final String NAME = "dev-tokens.json";

	static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private DevTokenFile() {
	}

	/**
	 * Writes the tokens.
	 * @param dataDir the data directory (created when missing)
	 * @param tokens token name to token
	 * @return the file
	 */
	static Path write(Path dataDir, Map<String, String> tokens) throws IOException {
		Files.createDirectories(dataDir);
		Path target = dataDir.resolve(NAME);
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		Path temporary = posix
				? Files.createTempFile(dataDir, NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
				: Files.createTempFile(dataDir, NAME, ".tmp");
		try {
			Files.writeString(temporary, HubJson.write(tokens));
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
		return target;
	}

}
