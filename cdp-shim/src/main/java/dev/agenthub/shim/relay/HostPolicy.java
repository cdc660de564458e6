package dev.agenthub.shim.relay;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The same guards Chrome puts on its DevTools server, so the shim is no easier to abuse
 * than the browser it stands in for: a {@code Host} header must be an IP address or
 * {@code localhost} (stops DNS rebinding from a web page), and a WebSocket carrying an
 * {@code Origin} header is refused unless {@code --remote-allow-origins} allows it.
 */
public final class HostPolicy {

	private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

	private final List<String> allowedOrigins;

	/**
	 * Creates the policy.
	 * @param allowedOrigins the {@code --remote-allow-origins} values; {@code *} allows
	 * any
	 */
	public HostPolicy(List<String> allowedOrigins) {
		this.allowedOrigins = List.copyOf(allowedOrigins);
	}

	/**
	 * Whether a request's {@code Host} header is acceptable.
	 * @param hostHeader the header, {@code null} when absent
	 * @return {@code true} when absent, an IP literal, or {@code localhost}
	 */
	public boolean hostAllowed(String hostHeader) {
		if (hostHeader == null || hostHeader.isEmpty()) {
			return true;
		}
		String host = hostHeader.strip().toLowerCase(Locale.ROOT);
		if (host.startsWith("[")) {
			return host.indexOf(']') > 0;
		}
		int colon = host.lastIndexOf(':');
		if (colon >= 0) {
			host = host.substring(0, colon);
		}
		return host.equals("localhost") || host.endsWith(".localhost") || IPV4.matcher(host).matches();
	}

	/**
	 * Whether a WebSocket handshake's {@code Origin} header is acceptable.
	 * @param origin the header, {@code null} when absent
	 * @return {@code true} when absent or allowed by {@code --remote-allow-origins}
	 */
	public boolean originAllowed(String origin) {
		if (origin == null || origin.isEmpty()) {
			return true;
		}
		return this.allowedOrigins.contains("*") || this.allowedOrigins.contains(origin);
	}

}
