package dev.agenthub.socketio.engine;

/** An HTTP request to the engine is answered with an {@link EioError}. */
public class EioRequestException extends RuntimeException {

	private final EioError error;

	public EioRequestException(EioError error) {
		super(error.message(), null, false, false);
		this.error = error;
	}

	public EioError error() {
		return this.error;
	}

}
