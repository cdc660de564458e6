package dev.agenthub.sidecar.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a process pipe on its own virtual thread and hands on text as soon as it arrives,
 * in chunks of at most {@code chunkBytes} bytes, decoding UTF-8 across chunk boundaries
 * (invalid bytes become U+FFFD).
 */
public final class OutputPump {

	private static final Logger logger = LoggerFactory.getLogger(OutputPump.class);

	private final Thread thread;

	private volatile boolean detached;

	private OutputPump(InputStream in, int chunkBytes, Consumer<String> sink, String name) {
		this.thread = Thread.ofVirtual().name(name).start(() -> pump(in, chunkBytes, sink));
	}

	/**
	 * Starts pumping.
	 * @param in the pipe
	 * @param chunkBytes largest chunk read at once
	 * @param sink receives each decoded chunk
	 * @param name thread name, for diagnostics
	 * @return the pump
	 */
	public static OutputPump start(InputStream in, int chunkBytes, Consumer<String> sink, String name) {
		return new OutputPump(in, chunkBytes, sink, name);
	}

	private void pump(InputStream in, int chunkBytes, Consumer<String> sink) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE);
		ByteBuffer bytes = ByteBuffer.allocate(chunkBytes);
		CharBuffer chars = CharBuffer.allocate(chunkBytes);
		try (in) {
			int read;
			while ((read = in.read(bytes.array(), bytes.position(), bytes.remaining())) != -1) {
				bytes.position(bytes.position() + read);
				bytes.flip();
				decoder.decode(bytes, chars, false);
				emit(chars, sink);
				bytes.compact();
			}
			bytes.flip();
			decoder.decode(bytes, chars, true);
			decoder.flush(chars);
			emit(chars, sink);
		}
		catch (IOException ex) {
			// the pipe closes under us when the process is killed; nothing more to read
			logger.debug("Pipe closed: {}", ex.getMessage());
		}
	}

	private void emit(CharBuffer chars, Consumer<String> sink) {
		chars.flip();
		if (chars.hasRemaining() && !this.detached) {
			sink.accept(chars.toString());
		}
		chars.clear();
	}

	/**
	 * Waits for the pipe to reach its end; if it does not in time (a background
	 * grandchild still holds it open), stops forwarding so nothing is reported after the
	 * exit status.
	 * @param timeoutMillis how long to wait
	 */
	public void awaitEnd(long timeoutMillis) throws InterruptedException {
		if (!this.thread.join(java.time.Duration.ofMillis(timeoutMillis))) {
			this.detached = true;
		}
	}

}
