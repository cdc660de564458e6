package dev.agenthub.shim.cli;

/**
 * A command line the shim cannot honour; the message is shown to the user as is.
 */
public class UsageException extends RuntimeException {

	public UsageException(String message) {
		super(message);
	}

}
