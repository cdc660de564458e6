package dev.agenthub.gateway.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 13 / issue 10: an open connection keeps nothing of its handshake request.
 * Clients (written out by hand here, so that this JVM's own client keeps no copy) open
 * raw WebSockets (token in the query or the Authorization header) and Socket.IO
 * WebSockets (token in the CONNECT's auth or in the handshake's query), each with a
 * marker header and a token of its own; once they are open and authenticated, a dump of
 * the gateway's live heap must hold none of them. The test keeps markers and tokens only
 * reversed, so its own references do not count. Event loops keep scratch buffers and
 * stack slots of what they handled last, so more connections open after the measured ones
 * (their bytes are not searched for); a header the Socket.IO session keeps on purpose
 * ({@code x-client-id}) shows the search finds what is there.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HandshakeRetentionIntegrationTests {

	private static final int EACH = 4;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Test
	void shouldKeepNeitherTheHeadersNorTheTokenOfAnOpenConnection(@TempDir Path dir) throws Exception {
		List<byte[]> searched = new ArrayList<>();
		byte[] kept = reversed("kept-" + UUID.randomUUID());
		List<Socket> open = new ArrayList<>();
		try {
			for (int i = 0; i < EACH; i++) {
				open.add(raw(secret("marker", searched), secret("token", searched), true));
				open.add(raw(secret("marker", searched), secret("token", searched), false));
				open.add(socketIo(secret("marker", searched), secret("token", searched), null));
				open.add(socketIoQueryToken(secret("marker", searched), secret("token", searched)));
			}
			open.add(socketIo(secret("marker", searched), secret("token", searched), kept));
			for (int i = 0; i < EACH; i++) {
				open.add(raw(secret("marker", null), secret("token", null), true));
				open.add(raw(secret("marker", null), secret("token", null), false));
				open.add(socketIo(secret("marker", null), secret("token", null), null));
				open.add(socketIoQueryToken(secret("marker", null), secret("token", null)));
				// five a round: each kind lands on every event loop (four, round robin)
				open.add(socketIo(secret("marker", null), secret("token", null), null));
			}
			Path dump = dir.resolve("gateway.hprof");
			ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
			assertThat(contains(dump, List.of(kept))).as("the search finds a value the server keeps").isEqualTo(1);
			assertThat(contains(dump, searched)).as("markers and tokens of open connections in the heap").isZero();
		}
		finally {
			for (Socket socket : open) {
				socket.close();
			}
		}
	}

	/** A marker or a token of its own (reversed), searched for when a list is given. */
	private static byte[] secret(String kind, List<byte[]> searched) {
		String value = kind.equals("token") ? TestTokens.user("retention-" + UUID.randomUUID(), "ret")
				: "x-marker-" + UUID.randomUUID();
		byte[] reversed = reversed(value);
		if (searched != null) {
			searched.add(reversed);
		}
		return reversed;
	}

	/**
	 * A raw WebSocket, token in the query (as browsers pass it) or in the Authorization
	 * header, open once it got its auth reply.
	 */
	private Socket raw(byte[] marker, byte[] token, boolean inQuery) throws IOException {
		Socket socket = inQuery
				? upgrade("/ws?subscribe=none&token=" + text(token), "X-Marker: " + text(marker) + "\r\n")
				: upgrade("/ws?subscribe=none",
						"Authorization: Bearer " + text(token) + "\r\nX-Marker: " + text(marker) + "\r\n");
		String reply = readText(socket.getInputStream());
		assertThat(reply).contains("\"type\":\"auth\"").contains("\"success\":true");
		return socket;
	}

	/** A Socket.IO WebSocket, token in the CONNECT's auth, open once it is connected. */
	private Socket socketIo(byte[] marker, byte[] token, byte[] clientId) throws IOException {
		String headers = "X-Marker: " + text(marker) + "\r\n"
				+ ((clientId != null) ? "X-Client-Id: " + text(clientId) + "\r\n" : "");
		Socket socket = upgrade("/socket.io/?EIO=4&transport=websocket", headers);
		assertThat(readText(socket.getInputStream())).startsWith("0{");
		writeText(socket.getOutputStream(), "40{\"token\":\"" + text(token) + "\",\"subscribe\":false}");
		assertThat(readText(socket.getInputStream())).startsWith("40{");
		return socket;
	}

	/**
	 * A Socket.IO WebSocket whose token is in the handshake's query (socket.io-client's
	 * {@code query: {token}}), open once it is connected; before, the session kept the
	 * token for its life, as the reference server keeps {@code socket.handshake.query}.
	 */
	private Socket socketIoQueryToken(byte[] marker, byte[] token) throws IOException {
		Socket socket = upgrade("/socket.io/?EIO=4&transport=websocket&token=" + text(token),
				"X-Marker: " + text(marker) + "\r\n");
		assertThat(readText(socket.getInputStream())).startsWith("0{");
		writeText(socket.getOutputStream(), "40{\"subscribe\":false}");
		assertThat(readText(socket.getInputStream())).startsWith("40{");
		return socket;
	}

	private Socket upgrade(String path, String headers) throws IOException {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.setSoTimeout(10_000);
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + headers + "\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).as("the upgrade response").isNotNegative();
			head.write(b);
		}
		assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
		return socket;
	}

	/** The next text frame from the server (unmasked, not fragmented), skipping pings. */
	private static String readText(InputStream in) throws IOException {
		while (true) {
			int opcode = in.read() & 0x0f;
			long length = in.read() & 0x7f;
			if (length == 126) {
				length = (in.read() << 8) | in.read();
			}
			else if (length == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | in.read();
				}
			}
			byte[] payload = in.readNBytes((int) length);
			if (opcode == 1) {
				return new String(payload, StandardCharsets.UTF_8);
			}
		}
	}

	/** A masked text frame (the mask of zeros leaves the payload as it is). */
	private static void writeText(OutputStream out, String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x81);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >> 8);
			frame.write(payload.length & 0xff);
		}
		frame.write(new byte[4]);
		frame.write(payload);
		out.write(frame.toByteArray());
		out.flush();
	}

	private static byte[] reversed(String value) {
		return reversed(value.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static byte[] reversed(byte[] value) {
		byte[] copy = new byte[value.length];
		for (int i = 0; i < value.length; i++) {
			copy[i] = value[value.length - 1 - i];
		}
		return copy;
	}

	/**
	 * Builds the value for one write (a temporary the collector takes before the dump).
	 */
	private static String text(byte[] reversed) {
		return new String(reversed(reversed), StandardCharsets.ISO_8859_1);
	}

	/** How many of the (reversed) values the dump holds, as Latin-1 strings or bytes. */
	private static int contains(Path dump, List<byte[]> reversedValues) throws IOException {
		List<byte[]> needles = new ArrayList<>();
		int longest = 0;
		for (byte[] value : reversedValues) {
			needles.add(reversed(value));
			longest = Math.max(longest, value.length);
		}
		boolean[] first = new boolean[256];
		needles.forEach((needle) -> first[needle[0] & 0xff] = true);
		Set<Integer> found = new HashSet<>();
		byte[] window = new byte[1 << 20];
		int carry = 0;
		try (InputStream in = Files.newInputStream(dump)) {
			int read;
			while ((read = in.read(window, carry, window.length - carry)) > 0) {
				int limit = carry + read;
				for (int i = 0; i < limit; i++) {
					if (!first[window[i] & 0xff]) {
						continue;
					}
					for (int n = 0; n < needles.size(); n++) {
						byte[] needle = needles.get(n);
						if (i + needle.length <= limit && window[i] == needle[0] && matches(window, i, needle)) {
							found.add(n);
						}
					}
				}
				carry = Math.min(longest - 1, limit);
				System.arraycopy(window, limit - carry, window, 0, carry);
			}
		}
		return found.size();
	}

	private static boolean matches(byte[] window, int at, byte[] needle) {
		for (int j = 1; j < needle.length; j++) {
			if (window[at + j] != needle[j]) {
				return false;
			}
		}
		return true;
	}

}
