package dev.agenthub.shim.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code <user-data-dir>/DevToolsActivePort} file Chrome writes once its DevTools
 * server listens: the port on the first line, the browser WebSocket path on the second.
 * Some launchers read it instead of stderr.
 */
public final class DevToolsActivePort {

	/** The file's name inside the user data directory. */
	public static final String FILE_NAME = "DevToolsActivePort";

	private DevToolsActivePort() {
	}

	/**
	 * Writes the file atomically, creating the directory if needed.
	 * @param userDataDir the {@code --user-data-dir}
	 * @param port the shim's DevTools port
	 * @param browserPath {@code /devtools/browser/<id>}
	 * @return the file written
	 * @throws IOException when it cannot be written
	 */
	public static Path write(Path userDataDir, int port, String browserPath) throws IOException {
		Files.createDirectories(userDataDir);
		Path file = userDataDir.resolve(FILE_NAME);
		Path temp = Files.createTempFile(userDataDir, FILE_NAME, ".tmp");
		Files.writeString(temp, content(port, browserPath), StandardCharsets.UTF_8);
		return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * The file's content, as Chrome writes it (no trailing newline).
	 * @param port the DevTools port
	 * @param browserPath {@code /devtools/browser/<id>}
	 * @return the content
	 */
	public static String content(int port, String browserPath) {
		return port + "\n" + browserPath;
	}

}
