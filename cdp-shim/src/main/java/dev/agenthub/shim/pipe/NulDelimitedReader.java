package dev.agenthub.shim.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into NUL-terminated messages, the framing of Chrome's
 * {@code --remote-debugging-pipe}. Messages are bounded; a longer one is an error rather
 * than unbounded memory.
 */
public final class NulDelimitedReader {

	private static final int CHUNK = 64 * 1024;

	private final InputStream in;

	private final int maxMessageBytes;

	private final byte[] chunk = new byte[CHUNK];

	private int chunkPos;

	private int chunkLimit;

	private byte[] message = new byte[CHUNK];

	private int messageLength;

	/**
	 * Creates a reader.
	 * @param in the stream, read from one thread only
	 * @param maxMessageBytes the largest message accepted
	 */
	public NulDelimitedReader(InputStream in, int maxMessageBytes) {
		this.in = in;
		this.maxMessageBytes = maxMessageBytes;
	}

	/**
	 * Reads the next message, blocking until it is complete.
	 * @return the message without its NUL, or {@code null} at the end of the stream (an
	 * unterminated tail is dropped, as Chrome does)
	 * @throws IOException on a read error or a message over the limit
	 */
	public byte[] next() throws IOException {
		while (true) {
			for (int i = this.chunkPos; i < this.chunkLimit; i++) {
				if (this.chunk[i] == 0) {
					append(this.chunkPos, i - this.chunkPos);
					this.chunkPos = i + 1;
					byte[] result = Arrays.copyOf(this.message, this.messageLength);
					this.messageLength = 0;
					return result;
				}
			}
			append(this.chunkPos, this.chunkLimit - this.chunkPos);
			this.chunkPos = 0;
			this.chunkLimit = this.in.read(this.chunk);
			if (this.chunkLimit < 0) {
				this.chunkLimit = 0;
				return null;
			}
		}
	}

	private void append(int from, int length) throws IOException {
		if (length == 0) {
			return;
		}
		int needed = this.messageLength + length;
		if (needed > this.maxMessageBytes) {
			throw new IOException("pipe message larger than " + this.maxMessageBytes + " bytes");
		}
		if (needed > this.message.length) {
			this.message = Arrays.copyOf(this.message,
					Math.min(this.maxMessageBytes, Math.max(needed, this.message.length * 2)));
		}
		System.arraycopy(this.chunk, from, this.message, this.messageLength, length);
		this.messageLength = needed;
	}

}
