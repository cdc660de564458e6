package dev.agenthub.agentclient.protocol;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;

/**
 * What the client does after a connection ended.
 */
public enum ReconnectDecision {

	/** Reconnect after the next exponential backoff delay. */
	RECONNECT,

	/**
	 * Reconnect only after the maximum backoff delay (forbidden, replaced, bad token).
	 */
	BACK_OFF_MAX,

	/** Do not reconnect; the client goes to {@code STOPPED}. */
	STOP;

	/**
	 * The default policy: slow down on {@code 4003} forbidden, {@code 4009} replaced and
	 * an HTTP 401/403 handshake refusal; reconnect normally otherwise (including
	 * {@code 1001} going away).
	 * @param info how the connection ended
	 * @return the decision
	 */
	public static ReconnectDecision defaultFor(DisconnectInfo info) {
		switch (info.closeCode()) {
			case CloseCodes.PROTOCOL_ERROR, CloseCodes.UNAUTHORIZED, CloseCodes.FORBIDDEN, CloseCodes.REPLACED -> {
				return BACK_OFF_MAX;
			}
			default -> {
				// decided below
			}
		}
		if (info.error() instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
			int status = handshake.response().status().code();
			if (status == 401 || status == 403) {
				return BACK_OFF_MAX;
			}
		}
		return RECONNECT;
	}

}
