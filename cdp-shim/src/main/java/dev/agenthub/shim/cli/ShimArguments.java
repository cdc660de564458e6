package dev.agenthub.shim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parts of Chrome's command line that matter to the shim. Every other Chrome switch
 * is accepted and ignored (kept in {@link #ignoredSwitches()} for diagnostics), because
 * the clients we serve pass dozens of them.
 * <p>
 * Like Chrome on Linux, switches may start with {@code --} or {@code -}, carry their
 * value after {@code =}, and a bare {@code --} ends switch parsing.
 *
 * @param remoteDebuggingPort {@code --remote-debugging-port=N}; {@code 0} asks for a free
 * port; empty when not given
 * @param remoteDebuggingAddress {@code --remote-debugging-address}, default
 * {@code 127.0.0.1}
 * @param pipe {@code --remote-debugging-pipe}
 * @param userDataDir {@code --user-data-dir}, where {@code DevToolsActivePort} is written
 * @param headless whether any form of {@code --headless} was given
 * @param remoteAllowOrigins {@code --remote-allow-origins}, the WebSocket origins
 * accepted (empty: only connections without an {@code Origin} header)
 * @param version {@code --version} or {@code --product-version}
 * @param help {@code --help} or {@code -h}
 * @param ignoredSwitches the switches the shim does not act on
 * @param positional non-switch arguments (URLs Chrome would open; the shim ignores them)
 */
public record ShimArguments(OptionalInt remoteDebuggingPort, String remoteDebuggingAddress, boolean pipe,
		Optional<Path> userDataDir, boolean headless, List<String> remoteAllowOrigins, boolean version, boolean help,
		List<String> ignoredSwitches, List<String> positional) {

	/** Chrome's default bind address for the DevTools server. */
	public static final String DEFAULT_ADDRESS = "127.0.0.1";

	public ShimArguments {
		remoteAllowOrigins = List.copyOf(remoteAllowOrigins);
		ignoredSwitches = List.copyOf(ignoredSwitches);
		positional = List.copyOf(positional);
	}

	/**
	 * Parses a Chrome command line.
	 * @param args the arguments as given to {@code main}
	 * @return the parsed arguments
	 * @throws UsageException when a switch the shim acts on has a bad value
	 */
	public static ShimArguments parse(String... args) {
		OptionalInt port = OptionalInt.empty();
		String address = DEFAULT_ADDRESS;
		boolean pipe = false;
		Optional<Path> userDataDir = Optional.empty();
		boolean headless = false;
		List<String> origins = new ArrayList<>();
		boolean version = false;
		boolean help = false;
		List<String> ignored = new ArrayList<>();
		List<String> positional = new ArrayList<>();
		boolean switchesEnded = false;
		for (String arg : args) {
			if (switchesEnded || !arg.startsWith("-") || arg.equals("-")) {
				positional.add(arg);
				continue;
			}
			if (arg.equals("--")) {
				switchesEnded = true;
				continue;
			}
			String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
			int eq = body.indexOf('=');
			String name = (eq < 0) ? body : body.substring(0, eq);
			String value = (eq < 0) ? null : body.substring(eq + 1);
			switch (name) {
				case "remote-debugging-port" -> port = OptionalInt.of(parsePort(value));
				case "remote-debugging-address" -> address = required(name, value);
				case "remote-debugging-pipe" -> pipe = parsePipe(value);
				case "user-data-dir" -> userDataDir = Optional.of(Path.of(required(name, value)));
				case "headless" -> headless = true;
				case "remote-allow-origins" -> origins.addAll(splitOrigins(required(name, value)));
				case "version", "product-version" -> version = true;
				case "help", "h" -> help = true;
				default -> ignored.add(arg);
			}
		}
		return new ShimArguments(port, address, pipe, userDataDir, headless, origins, version, help, ignored,
				positional);
	}

	/**
	 * Whether the arguments ask for anything the shim can relay to.
	 * @return {@code true} with a debugging port or pipe
	 */
	public boolean hasDebuggingEndpoint() {
		return this.pipe || this.remoteDebuggingPort.isPresent();
	}

	private static int parsePort(String value) {
		String text = required("remote-debugging-port", value);
		try {
			int port = Integer.parseInt(text.trim());
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below with the offending value
		}
		throw new UsageException("--remote-debugging-port must be a port number from 0 to 65535, got '" + text + "'");
	}

	private static boolean parsePipe(String value) {
		if (value != null && !value.isEmpty() && !value.equalsIgnoreCase("json")) {
			throw new UsageException(
					"--remote-debugging-pipe=" + value + " is not supported; the shim speaks JSON on the pipe");
		}
		return true;
	}

	private static List<String> splitOrigins(String value) {
		List<String> origins = new ArrayList<>();
		for (String origin : value.split(",")) {
			if (!origin.isBlank()) {
				origins.add(origin.trim());
			}
		}
		return origins;
	}

	private static String required(String name, String value) {
		if (value == null || value.isEmpty()) {
			throw new UsageException("--" + name + " needs a value (--" + name + "=...)");
		}
		return value;
	}

}
