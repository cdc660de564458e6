package dev.agenthub.shim.relay;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites the URLs in the remote's {@code /json} answers so clients connect to the shim,
 * never to the remote directly: {@code webSocketDebuggerUrl} gets the shim's address, and
 * the {@code ws=} parameter of {@code devtoolsFrontendUrl} points at the shim.
 */
public final class UrlRewriter {

	private final String shimAuthority;

	/**
	 * Creates a rewriter.
	 * @param shimAuthority the {@code host:port} clients reach the shim at
	 */
	public UrlRewriter(String shimAuthority) {
		this.shimAuthority = shimAuthority;
	}

	/**
	 * Rewrites the URL fields of a {@code /json} document in place: one target object, or
	 * an array of them.
	 * @param document the parsed answer
	 * @return the same document
	 */
	public JsonNode rewriteDocument(JsonNode document) {
		if (document instanceof ObjectNode object) {
			rewriteTarget(object);
		}
		else if (document.isArray()) {
			for (JsonNode element : document) {
				if (element instanceof ObjectNode object) {
					rewriteTarget(object);
				}
			}
		}
		return document;
	}

	private void rewriteTarget(ObjectNode target) {
		for (String field : target.propertyNames()) {
			JsonNode value = target.get(field);
			if (!value.isString()) {
				continue;
			}
			if (field.equals("webSocketDebuggerUrl")) {
				target.put(field, rewriteWebSocketUrl(value.asString()));
			}
			else if (field.startsWith("devtoolsFrontendUrl")) {
				target.put(field, rewriteFrontendUrl(value.asString()));
			}
		}
	}

	/**
	 * Points a WebSocket URL such as {@code ws://localhost:9222/devtools/page/ID} at the
	 * shim. The shim speaks plain {@code ws}, so {@code wss} becomes {@code ws}.
	 * @param url the remote's URL
	 * @return the shim's URL, or the input when it is not an absolute URL
	 */
	public String rewriteWebSocketUrl(String url) {
		int scheme = url.indexOf("://");
		if (scheme < 0) {
			return url;
		}
		int path = url.indexOf('/', scheme + 3);
		return "ws://" + this.shimAuthority + ((path < 0) ? "" : url.substring(path));
	}

	/**
	 * Points the {@code ws=}/{@code wss=} parameter of a DevTools frontend URL, e.g.
	 * {@code /devtools/inspector.html?ws=localhost:9222/devtools/page/ID}, at the shim.
	 * @param url the remote's URL
	 * @return the rewritten URL
	 */
	public String rewriteFrontendUrl(String url) {
		int query = url.indexOf('?');
		if (query < 0) {
			return url;
		}
		StringBuilder out = new StringBuilder(url.length() + 16).append(url, 0, query + 1);
		String[] params = url.substring(query + 1).split("&", -1);
		for (int i = 0; i < params.length; i++) {
			if (i > 0) {
				out.append('&');
			}
			out.append(rewriteParam(params[i]));
		}
		return out.toString();
	}

	private String rewriteParam(String param) {
		String value;
		if (param.startsWith("ws=")) {
			value = param.substring(3);
		}
		else if (param.startsWith("wss=")) {
			value = param.substring(4);
		}
		else {
			return param;
		}
		int path = value.indexOf('/');
		return "ws=" + this.shimAuthority + ((path < 0) ? "" : value.substring(path));
	}

}
