package dev.agenthub.socketio.engine;

/** Creates the handler of each new Engine.IO session. */
@FunctionalInterface
public interface EioApplication {

	/**
	 * A session opened; the open packet is queued right after this returns, so anything
	 * the handler sends here follows it.
	 */
	EioSessionHandler open(EioSession session);

}
