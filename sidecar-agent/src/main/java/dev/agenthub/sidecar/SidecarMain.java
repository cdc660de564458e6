package dev.agenthub.sidecar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point:
 * {@code java -jar sidecar-agent-<version>-exec.jar [--name=value
 * ...]}. Reads the configuration from the environment and arguments, runs until SIGTERM
 * or SIGINT, then shuts down gracefully.
 */
public final class SidecarMain {

	private static final Logger logger = LoggerFactory.getLogger(SidecarMain.class);

	private SidecarMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		SidecarConfig config;
		try {
			config = SidecarConfig.from(System.getenv(), args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("sidecar-agent: " + ex.getMessage());
			System.exit(2);
			return;
		}
		Sidecar sidecar = Sidecar.start(config);
		Thread hook = Thread.ofPlatform().name("sidecar-shutdown").unstarted(sidecar::stop);
		Runtime.getRuntime().addShutdownHook(hook);
		sidecar.awaitTermination();
		logger.debug("Sidecar main thread exits");
	}

}
