package dev.agenthub.agentclient.protocol;

import dev.agenthub.contracts.error.CloseCode;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;

/**
 * What the client does after a connection ended.
 */
public enum ReconnectDecision {

	/** Reconnect after the next exponential backoff delay. */
	RECONNECT,

	/**
	 * Reconnect only after the maximum backoff delay (a custom policy's choice, e.g. for
	 * a supervisor that rotates tokens).
	 */
	BACK_OFF_MAX,

	/** Do not reconnect; the client goes to {@code STOPPED}. */
	STOP;

	/**
	 * The default policy follows the contracts' catalogue of close codes
	 * ({@link CloseCode#reconnect()}): a code a well-behaved client should not reconnect
	 * after (protocol error, unauthorized, forbidden, replaced) stops the client — it
	 * needs a person (a new token, another workspace) — as does an HTTP 401/403 refusal
	 * of the handshake; anything else (going away, slow reader, rate limited, heartbeat
	 * timeout, network errors, unknown codes) reconnects with backoff.
	 * @param info how the connection ended
	 * @return the decision
	 */
	public static ReconnectDecision defaultFor(DisconnectInfo info) {
		CloseCode code = CloseCode.of(info.closeCode());
		if (code != null && !code.reconnect()) {
			return STOP;
		}
		if (info.error() instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
			int status = handshake.response().status().code();
			if (status == 401 || status == 403) {
				return STOP;
			}
		}
		return RECONNECT;
	}

}
