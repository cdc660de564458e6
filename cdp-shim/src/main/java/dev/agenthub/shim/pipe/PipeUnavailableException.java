package dev.agenthub.shim.pipe;

/**
 * File descriptors 3 and 4 cannot be used for {@code --remote-debugging-pipe}; the
 * message says why and what to do.
 */
public class PipeUnavailableException extends Exception {

	public PipeUnavailableException(String message) {
		super(message);
	}

	public PipeUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
