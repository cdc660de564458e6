package dev.agenthub.bench.client;

/**
 * A simulated sidecar agent on any target, registered for one workspace.
 */
public interface Agent {

	/**
	 * Writes one chunk of tab output.
	 * @param tabId the tab
	 * @param text output (needs no JSON escaping)
	 * @return whether it was queued
	 */
	boolean tabOutput(String tabId, String text);

	/** Sends a heartbeat. */
	boolean heartbeat();

	/**
	 * @return {@code error} events or frames received so far (e.g. a rate limit)
	 */
	int errors();

	void close();

	WsConn conn();

}
