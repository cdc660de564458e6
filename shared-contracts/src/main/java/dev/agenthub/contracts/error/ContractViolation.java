package dev.agenthub.contracts.error;

/**
 * Input that breaks a contract: a malformed frame, an invalid channel name, a payload
 * missing a field. Carries the client-facing {@link ErrorCode} and a precise message
 * naming the offending field.
 */
public class ContractViolation extends RuntimeException {

	private final ErrorCode code;

	public ContractViolation(ErrorCode code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	/** A {@link ErrorCode#BAD_REQUEST} violation. */
	public static ContractViolation badRequest(String message) {
		return new ContractViolation(ErrorCode.BAD_REQUEST, message);
	}

	public ErrorCode code() {
		return this.code;
	}

}
