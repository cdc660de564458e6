package dev.agenthub.sidecar.tab;

/**
 * Where tab events go ({@code tab:started}, {@code tab:output}, {@code tab:stopped}).
 */
public interface TabReporter {

	void started(String tabId, String command);

	/**
	 * A chunk of output.
	 * @param tabId the tab
	 * @param text the text
	 * @param stream {@code stdout} or {@code stderr}
	 */
	void output(String tabId, String text, String stream);

	/**
	 * The tab's process ended.
	 * @param tabId the tab
	 * @param exitCode its exit code, or -1 if it could not start
	 */
	void stopped(String tabId, int exitCode);

}
