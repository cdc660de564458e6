package dev.agenthub.shim.lifecycle;

import java.util.Optional;

/**
 * Why the shim exits: the process exit code and the message printed on stderr (none for
 * the ordinary endings). Exit codes: {@code 0} normal ends, {@code 1} the remote Chrome
 * is unreachable at start, {@code 2} a bad command line, {@code 3} the remote Chrome went
 * away while relaying. A SIGTERM ends the JVM with the usual {@code 143}.
 *
 * @param code the process exit code
 * @param message the message for stderr, if any
 */
public record ExitReason(int code, Optional<String> message) {

	/** Exit code when the remote Chrome cannot be reached at start. */
	public static final int UNREACHABLE = 1;

	/** Exit code for a command line the shim cannot honour. */
	public static final int USAGE = 2;

	/** Exit code when the remote Chrome goes away while the shim runs. */
	public static final int REMOTE_GONE = 3;

	/** Exit code when reading or writing the {@code --remote-debugging-pipe} fails. */
	public static final int PIPE_FAILED = 4;

	private static final String PREFIX = "chromium (CDP shim): ";

	/**
	 * A client sent {@code Browser.close} and it was relayed.
	 * @return the reason
	 */
	public static ExitReason browserClosed() {
		return new ExitReason(0, Optional.empty());
	}

	/**
	 * The pipe client closed its end of fd 3, as when Chrome's parent goes away.
	 * @return the reason
	 */
	public static ExitReason pipeClosed() {
		return new ExitReason(0, Optional.empty());
	}

	/**
	 * The remote Chrome could not be reached at start.
	 * @param detail what was tried and what failed
	 * @return the reason
	 */
	public static ExitReason unreachable(String detail) {
		return new ExitReason(UNREACHABLE, Optional.of(PREFIX + detail));
	}

	/**
	 * A command line the shim cannot honour.
	 * @param detail the problem
	 * @return the reason
	 */
	public static ExitReason usage(String detail) {
		return new ExitReason(USAGE, Optional.of(PREFIX + detail));
	}

	/**
	 * The remote Chrome went away while the shim was relaying.
	 * @param detail what was seen
	 * @return the reason
	 */
	public static ExitReason remoteGone(String detail) {
		return new ExitReason(REMOTE_GONE, Optional.of(PREFIX + detail));
	}

	/**
	 * Reading from fd 3 or writing to fd 4 failed.
	 * @param detail what failed
	 * @return the reason
	 */
	public static ExitReason pipeFailed(String detail) {
		return new ExitReason(PIPE_FAILED, Optional.of(PREFIX + detail));
	}

}
