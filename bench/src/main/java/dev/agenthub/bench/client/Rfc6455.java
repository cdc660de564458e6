package dev.agenthub.bench.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * What {@link WsConn} writes and reads of RFC 6455 as a client: the upgrade request and
 * its expected {@code Sec-WebSocket-Accept}, the end of the answer's head, and masked
 * frames.
 */
final class Rfc6455 {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final ByteBuf HEAD_END = Unpooled
		.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] { '\r', '\n', '\r', '\n' }));

	private Rfc6455() {
	}

	/**
	 * @return a new random {@code Sec-WebSocket-Key}
	 */
	static String newKey() {
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		return Base64.getEncoder().encodeToString(nonce);
	}

	/**
	 * @return the upgrade request for {@code uri} with {@code key}
	 */
	static byte[] upgradeRequest(URI uri, int port, String key) {
		String path = ((uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath())
				+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		return ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * @return the {@code Sec-WebSocket-Accept} a server answers to {@code key}
	 */
	static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return the index just past the blank line that ends an HTTP head in {@code in}, or
	 * -1
	 */
	static int headEnd(ByteBuf in) {
		int at = ByteBufUtil.indexOf(HEAD_END, in);
		return (at < 0) ? -1 : at + HEAD_END.readableBytes();
	}

	/**
	 * @return a client frame of {@code payload} (not released), masked with a random key
	 */
	static ByteBuf frame(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
		int length = payload.readableBytes();
		ByteBuf out = alloc.buffer(14 + length);
		out.writeByte(0x80 | opcode);
		if (length < 126) {
			out.writeByte(0x80 | length);
		}
		else if (length < 65536) {
			out.writeByte(0x80 | 126).writeShort(length);
		}
		else {
			out.writeByte(0x80 | 127).writeLong(length);
		}
		int key = ThreadLocalRandom.current().nextInt();
		out.writeInt(key);
		int start = out.writerIndex();
		out.writeBytes(payload, payload.readerIndex(), length);
		mask(out, start, length, key);
		return out;
	}

	/**
	 * XORs {@code length} bytes of {@code buf} from {@code index} with {@code key}, in
	 * place (masks and unmasks).
	 */
	static void mask(ByteBuf buf, int index, int length, int key) {
		int i = 0;
		for (; i + 4 <= length; i += 4) {
			buf.setInt(index + i, buf.getInt(index + i) ^ key);
		}
		for (; i < length; i++) {
			buf.setByte(index + i, buf.getByte(index + i) ^ (key >>> (8 * (3 - (i & 3)))));
		}
	}

}
