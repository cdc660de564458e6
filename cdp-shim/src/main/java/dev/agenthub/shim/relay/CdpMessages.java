package dev.agenthub.shim.relay;

import java.nio.charset.StandardCharsets;

import dev.agenthub.shim.remote.RemoteChrome;
import io.netty.buffer.ByteBuf;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Looks into client-to-browser messages for the one command the shim reacts to:
 * {@code Browser.close}, after which the process exits like Chrome would.
 */
public final class CdpMessages {

	/** Only small messages can be a {@code Browser.close}; big ones are not parsed. */
	private static final int MAX_INSPECTED_BYTES = 4096;

	private static final byte[] MARKER = "Browser.close".getBytes(StandardCharsets.US_ASCII);

	private CdpMessages() {
	}

	/**
	 * Whether a message is a {@code Browser.close} command.
	 * @param message the UTF-8 JSON message
	 * @return {@code true} for a {@code Browser.close} command
	 */
	public static boolean isBrowserClose(ByteBuf message) {
		int length = message.readableBytes();
		if (length > MAX_INSPECTED_BYTES || length < MARKER.length) {
			return false;
		}
		byte[] bytes = new byte[length];
		message.getBytes(message.readerIndex(), bytes);
		return isBrowserClose(bytes);
	}

	/**
	 * Whether a message is a {@code Browser.close} command.
	 * @param message the UTF-8 JSON message
	 * @return {@code true} for a {@code Browser.close} command
	 */
	public static boolean isBrowserClose(byte[] message) {
		if (message.length > MAX_INSPECTED_BYTES || !contains(message, MARKER)) {
			return false;
		}
		try {
			JsonNode json = RemoteChrome.json().readTree(message);
			return json.path("method").asString("").equals("Browser.close");
		}
		catch (JacksonException ex) {
			// Not JSON: Chrome will answer with an error, nothing for the shim to do.
			return false;
		}
	}

	private static boolean contains(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

}
