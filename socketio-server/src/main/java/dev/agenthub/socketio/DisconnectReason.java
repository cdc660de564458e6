package dev.agenthub.socketio;

/**
 * Why a socket (one namespace) or a whole Engine.IO session ended. {@link #wireName()} is
 * the reason string the reference implementation uses, handy for logs and metric tags
 * (the set is small and fixed, so it is a safe tag).
 */
public enum DisconnectReason {

	/** The client sent a Socket.IO DISCONNECT for the namespace. */
	CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),

	/** The server called {@link SioSocket#disconnect()}. */
	SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),

	/** The client closed the connection or sent an Engine.IO close packet. */
	TRANSPORT_CLOSE("transport close"),

	/** The transport failed, or the client broke the transport rules (e.g. two GETs). */
	TRANSPORT_ERROR("transport error"),

	/** No pong within pingTimeout after a ping. */
	PING_TIMEOUT("ping timeout"),

	/** The client sent a packet that does not parse or breaks the protocol. */
	PARSE_ERROR("parse error"),

	/** A POST body or frame was larger than maxPayload. */
	PAYLOAD_TOO_LARGE("payload too large"),

	/**
	 * The session's outbound queue went past maxOutboundBytes: the client reads too
	 * slowly. Services map this to their slow-reader policy.
	 */
	OUTBOUND_OVERFLOW("outbound overflow"),

	/** No namespace was connected within connectTimeout. */
	CONNECT_TIMEOUT("connect timeout"),

	/**
	 * The client sent more packets the application never sees (pongs, noops,
	 * acknowledgements nobody awaits) than
	 * {@link dev.agenthub.socketio.engine.EioSession} allows.
	 */
	TOO_MANY_PACKETS("too many packets"),

	/** The server closed the whole session (e.g. {@link SioSocket#close()}). */
	FORCED_CLOSE("forced close"),

	/** {@link SocketIoServer#shutdown()} closed the session. */
	SERVER_SHUTDOWN("server shutting down");

	private final String wireName;

	DisconnectReason(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

}
