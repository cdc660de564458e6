package dev.agenthub.shim.remote;

import tools.jackson.databind.JsonNode;

/**
 * What the remote {@code /json/version} says about the browser.
 *
 * @param product the {@code Browser} field, e.g. {@code HeadlessChrome/156.0.8078.79}
 * @param browserPath the browser target's WebSocket path, e.g.
 * {@code /devtools/browser/<id>}
 */
public record BrowserVersion(String product, String browserPath) {

	/**
	 * Reads the {@code /json/version} document.
	 * @param json the parsed document
	 * @return the version
	 * @throws IllegalArgumentException when the document lacks a browser WebSocket URL
	 */
	public static BrowserVersion from(JsonNode json) {
		String product = json.path("Browser").asString("");
		String url = json.path("webSocketDebuggerUrl").asString("");
		int scheme = url.indexOf("://");
		int path = (scheme < 0) ? -1 : url.indexOf('/', scheme + 3);
		if (path < 0 || !url.startsWith("/devtools/browser/", path)) {
			throw new IllegalArgumentException(
					"/json/version has no browser webSocketDebuggerUrl (got '" + url + "'); is this a Chrome?");
		}
		return new BrowserVersion(product, url.substring(path));
	}

	/**
	 * The browser target id, the last segment of {@link #browserPath()}.
	 * @return the id
	 */
	public String browserId() {
		return this.browserPath.substring(this.browserPath.lastIndexOf('/') + 1);
	}

}
