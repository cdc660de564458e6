package dev.agenthub.broker;

/**
 * The engine took no command: it is not connected (Redis down, restarting, failing over),
 * so nothing was published and a publish may be tried again as it was. A failure of any
 * other kind (a timeout above all) may have taken effect, and is not this one.
 */
public class EngineUnavailableException extends RuntimeException {

	public EngineUnavailableException(String message, Throwable cause) {
		super(message, cause, false, false);
	}

}
