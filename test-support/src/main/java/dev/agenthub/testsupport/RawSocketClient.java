package dev.agenthub.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client on a plain blocking socket, for tests that need what a well-behaved
 * client library never does: stop reading (so the server's queue for it fills), send
 * frames of any size, and see the raw close code. Small receive buffer on purpose.
 */
public final class RawSocketClient implements AutoCloseable {

	/** What {@link #awaitClose} says of a connection that ended without a close frame. */
	public static final int ENDED_WITHOUT_CLOSE = 0;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private int closeCode = -1;

	private RawSocketClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Opens a WebSocket.
	 * @param url {@code ws://host:port/path?query}
	 * @param headers extra request headers
	 * @param receiveBuffer the socket's receive buffer in bytes (small: the server's
	 * queue fills soon when the client stops reading)
	 */
	public static RawSocketClient connect(String url, Map<String, String> headers, int receiveBuffer) {
		try {
			URI uri = URI.create(url);
			Socket socket = new Socket();
			socket.setReceiveBufferSize(receiveBuffer);
			socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
			socket.setSoTimeout(10_000);
			RawSocketClient client = new RawSocketClient(socket);
			byte[] nonce = new byte[16];
			RANDOM.nextBytes(nonce);
			StringBuilder request = new StringBuilder();
			String path = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
			request.append("GET ").append(path).append(" HTTP/1.1\r\n");
			request.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
			request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
			request.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
			request.append("Sec-WebSocket-Version: 13\r\n");
			headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			client.out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
			client.out.flush();
			String head = client.readHeaders();
			if (!head.startsWith("HTTP/1.1 101")) {
				byte[] body = new byte[Math.min(512, client.in.available())];
				client.in.readFully(body);
				socket.close();
				throw new IllegalStateException(
						"upgrade refused: " + head.trim() + " " + new String(body, StandardCharsets.UTF_8));
			}
			return client;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String readHeaders() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				throw new IOException("closed during the handshake");
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** Sends a text frame (masked, as a client must). */
	public RawSocketClient sendText(String text) {
		return sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends a text message in fragments (a text frame, then continuation frames) of at
	 * most {@code fragmentBytes} each.
	 */
	public synchronized RawSocketClient sendTextInFragments(String text, int fragmentBytes) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		for (int start = 0; start < bytes.length; start += fragmentBytes) {
			int end = Math.min(bytes.length, start + fragmentBytes);
			byte[] fragment = java.util.Arrays.copyOfRange(bytes, start, end);
			sendFrame((start == 0) ? 0x1 : 0x0, fragment, end == bytes.length);
		}
		return this;
	}

	/** Sends one final frame of any opcode (masked), even one the protocol reserves. */
	public RawSocketClient sendFrame(int opcode, byte[] payload) {
		return sendFrame(opcode, payload, true);
	}

	private synchronized RawSocketClient sendFrame(int opcode, byte[] payload, boolean fin) {
		try {
			ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
			frame.write((fin ? 0x80 : 0) | opcode);
			if (payload.length < 126) {
				frame.write(0x80 | payload.length);
			}
			else if (payload.length < 65536) {
				frame.write(0x80 | 126);
				frame.write(payload.length >>> 8);
				frame.write(payload.length & 0xff);
			}
			else {
				frame.write(0x80 | 127);
				for (int shift = 56; shift >= 0; shift -= 8) {
					frame.write((int) (((long) payload.length) >>> shift) & 0xff);
				}
			}
			byte[] mask = new byte[4];
			RANDOM.nextBytes(mask);
			frame.write(mask);
			for (int i = 0; i < payload.length; i++) {
				frame.write(payload[i] ^ mask[i % 4]);
			}
			this.out.write(frame.toByteArray());
			this.out.flush();
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The next text frame, answering pings on the way; {@code null} once the server
	 * closed (see {@link #closeCode()}).
	 */
	public String nextText(Duration timeout) {
		try {
			this.socket.setSoTimeout((int) timeout.toMillis());
			while (true) {
				int first = this.in.read();
				if (first < 0) {
					if (this.closeCode < 0) {
						this.closeCode = ENDED_WITHOUT_CLOSE;
					}
					return null;
				}
				int opcode = first & 0x0f;
				int second = this.in.readUnsignedByte();
				long length = second & 0x7f;
				if (length == 126) {
					length = this.in.readUnsignedShort();
				}
				else if (length == 127) {
					length = this.in.readLong();
				}
				byte[] payload = new byte[(int) length];
				this.in.readFully(payload);
				switch (opcode) {
					case 0x1:
						return new String(payload, StandardCharsets.UTF_8);
					case 0x8:
						this.closeCode = (payload.length >= 2) ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff)
								: 1005;
						return null;
					case 0x9:
						sendFrame(0xA, payload);
						break;
					default:
						break;
				}
			}
		}
		catch (java.net.SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			if (this.closeCode < 0) {
				this.closeCode = ENDED_WITHOUT_CLOSE;
			}
			return null;
		}
	}

	/**
	 * Reads (and drops) frames until the server closes: the close frame's code,
	 * {@link #ENDED_WITHOUT_CLOSE} when the connection ended without one, -1 when it was
	 * still open at the timeout.
	 */
	public int awaitClose(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			String text = nextText(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
			if (text == null && this.closeCode >= 0) {
				return this.closeCode;
			}
		}
		return this.closeCode;
	}

	/** The code of the server's close frame, or -1 before it came. */
	public int closeCode() {
		return this.closeCode;
	}

	/** Raw access to the socket's input, for tests that read nothing on purpose. */
	public InputStream input() {
		return this.in;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
