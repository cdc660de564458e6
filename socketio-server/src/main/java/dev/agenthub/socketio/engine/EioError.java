package dev.agenthub.socketio.engine;

/**
 * The Engine.IO handshake and request errors, answered as HTTP status plus a JSON body
 * {@code {"code":N,"message":"..."}}. The codes are the reference server's.
 */
public enum EioError {

	UNKNOWN_TRANSPORT(0, "Transport unknown", 400),

	UNKNOWN_SID(1, "Session ID unknown", 400),

	BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),

	BAD_REQUEST(3, "Bad request", 400),

	FORBIDDEN(4, "Forbidden", 403),

	UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400),

	/** Not in the protocol: the payload is larger than maxPayload. */
	PAYLOAD_TOO_LARGE(3, "Payload too large", 413),

	/** Not in the protocol: the server holds maxSessions sessions. */
	TOO_MANY_SESSIONS(3, "Server at capacity", 503);

	private final int code;

	private final String message;

	private final int status;

	EioError(int code, String message, int status) {
		this.code = code;
		this.message = message;
		this.status = status;
	}

	public int code() {
		return this.code;
	}

	public String message() {
		return this.message;
	}

	public int status() {
		return this.status;
	}

	/** The JSON body. */
	public String json() {
		return "{\"code\":" + this.code + ",\"message\":\"" + this.message + "\"}";
	}

	public EioRequestException exception() {
		return new EioRequestException(this);
	}

}
