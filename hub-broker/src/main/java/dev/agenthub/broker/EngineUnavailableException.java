package dev.agenthub.broker;

/**
 * The engine took no command: it is not connected (Redis down, restarting, failing over),
 * so nothing was published and a publish may be tried again as it was. A failure of any
 * other kind (a timeout above all) may have taken effect, and is not this one.
 */
public class EngineUnavailableException extends RuntimeException {

	/** What clients are told when the engine's Redis is out of reach. */
	public static final String TO_CLIENTS = "the event bus is unavailable";

	public EngineUnavailableException(String message, Throwable cause) {
		super(message, cause, false, false);
	}

	/**
	 * Whether a failure is the engine's Redis being out of reach (down, restarting,
	 * failing over, too slow to answer) rather than a fault of the hub's: this exception,
	 * or one of the Redis client's own.
	 */
	public static boolean outage(Throwable ex) {
		return ex instanceof EngineUnavailableException || ex instanceof io.lettuce.core.RedisException;
	}

	/** A failure as clients are told of it: {@link #TO_CLIENTS} for an outage. */
	public static String describe(Throwable ex) {
		return outage(ex) ? TO_CLIENTS : String.valueOf(ex.getMessage());
	}

}
