package dev.agenthub.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The shim under test as an executable file, the way clients launch it. In the build's
 * {@code integration-test} phase that is the packaged release artifact
 * ({@code target/chromium}, system property {@code cdp-shim.executable}); run from an IDE
 * it is a small wrapper script around this JVM and the test class path.
 */
final class ShimExecutable {

	private static Path wrapper;

	private ShimExecutable() {
	}

	static synchronized Path path() throws IOException {
		String artifact = System.getProperty("cdp-shim.executable");
		if (artifact != null && !artifact.isBlank()) {
			Path path = Path.of(artifact);
			if (!Files.isExecutable(path)) {
				throw new IllegalStateException("cdp-shim.executable is " + path
						+ " but that is not an executable file; run the package phase first (./mvnw -pl cdp-shim verify)");
			}
			return path;
		}
		if (wrapper == null) {
			wrapper = writeWrapper();
		}
		return wrapper;
	}

	static boolean isReleaseArtifact() {
		String artifact = System.getProperty("cdp-shim.executable");
		return artifact != null && !artifact.isBlank();
	}

	private static Path writeWrapper() throws IOException {
		Path dir = Files.createTempDirectory("cdp-shim-bin-");
		Path script = dir.resolve("chromium");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Files.writeString(script,
				"#!/bin/sh\nexec '" + java + "' --add-opens=java.base/java.io=ALL-UNNAMED -cp '"
						+ System.getProperty("java.class.path") + "' " + ChromiumShim.class.getName() + " \"$@\"\n",
				StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		dir.toFile().deleteOnExit();
		script.toFile().deleteOnExit();
		return script;
	}

}
