package dev.agenthub.shim.remote;

import java.util.Map;
import java.util.regex.Pattern;

import dev.agenthub.shim.cli.UsageException;

/**
 * Where the real Chrome's DevTools server is, from {@code CDP_HOST} (default
 * {@code 127.0.0.1}) and {@code CDP_PORT} (default {@code 9222}).
 * <p>
 * Chrome refuses DevTools HTTP requests whose {@code Host} header is neither an IP
 * address nor {@code localhost} (a DNS-rebinding guard), so when {@code CDP_HOST} is a
 * name (say a Tailscale MagicDNS name) the shim connects to that name but says
 * {@code Host: localhost:<port>}.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port the DevTools port
 */
public record RemoteEndpoint(String host, int port) {

	/** Environment variable naming the remote Chrome's host. */
	public static final String HOST_ENV = "CDP_HOST";

	/** Environment variable naming the remote Chrome's DevTools port. */
	public static final String PORT_ENV = "CDP_PORT";

	/** Default {@code CDP_HOST}. */
	public static final String DEFAULT_HOST = "127.0.0.1";

	/** Default {@code CDP_PORT}, Chrome's customary DevTools port. */
	public static final int DEFAULT_PORT = 9222;

	private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

	/**
	 * Reads the endpoint from the environment.
	 * @param env the environment
	 * @return the endpoint
	 * @throws UsageException when {@code CDP_PORT} is not a port number
	 */
	public static RemoteEndpoint fromEnvironment(Map<String, String> env) {
		String host = env.getOrDefault(HOST_ENV, "").trim();
		if (host.isEmpty()) {
			host = DEFAULT_HOST;
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		String portText = env.getOrDefault(PORT_ENV, "").trim();
		int port = DEFAULT_PORT;
		if (!portText.isEmpty()) {
			try {
				port = Integer.parseInt(portText);
			}
			catch (NumberFormatException ex) {
				port = -1;
			}
			if (port < 1 || port > 65535) {
				throw new UsageException(PORT_ENV + " must be a port number from 1 to 65535, got '" + portText + "'");
			}
		}
		return new RemoteEndpoint(host, port);
	}

	/**
	 * Whether the host is an IP literal rather than a name.
	 * @return {@code true} for IPv4 and IPv6 literals
	 */
	public boolean hostIsIpLiteral() {
		return IPV4.matcher(this.host).matches() || this.host.contains(":");
	}

	/**
	 * The {@code host:port} to connect to, IPv6 bracketed.
	 * @return the authority
	 */
	public String authority() {
		return (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

	/**
	 * The {@code Host} header Chrome accepts: the IP literal itself, or {@code localhost}
	 * for a name.
	 * @return the header value
	 */
	public String hostHeader() {
		return hostIsIpLiteral() ? authority() : "localhost:" + this.port;
	}

	/**
	 * An HTTP URL on the remote DevTools server.
	 * @param pathAndQuery the path, starting with {@code /}, with any query
	 * @return the URL
	 */
	public String httpUrl(String pathAndQuery) {
		return "http://" + authority() + pathAndQuery;
	}

	/**
	 * A WebSocket URL on the remote DevTools server.
	 * @param pathAndQuery the path, starting with {@code /}, with any query
	 * @return the URL
	 */
	public String webSocketUrl(String pathAndQuery) {
		return "ws://" + authority() + pathAndQuery;
	}

}
