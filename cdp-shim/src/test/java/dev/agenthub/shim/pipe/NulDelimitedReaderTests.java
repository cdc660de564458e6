package dev.agenthub.shim.pipe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NulDelimitedReaderTests {

	@Test
	void shouldSplitMessagesOnNul() throws IOException {
		NulDelimitedReader reader = reader("{\"id\":1}\0{\"id\":2}\0\0tail", 1024);
		assertThat(text(reader.next())).isEqualTo("{\"id\":1}");
		assertThat(text(reader.next())).isEqualTo("{\"id\":2}");
		assertThat(text(reader.next())).isEmpty();
		assertThat(reader.next()).as("an unterminated tail is dropped").isNull();
		assertThat(reader.next()).isNull();
	}

	@Test
	void shouldJoinMessagesSpanningManyReads() throws IOException {
		String big = "x".repeat(200_000);
		NulDelimitedReader reader = new NulDelimitedReader(trickle(big + "\0" + "y\0"), 1 << 20);
		assertThat(text(reader.next())).isEqualTo(big);
		assertThat(text(reader.next())).isEqualTo("y");
	}

	@Test
	void shouldRefuseMessagesOverTheLimit() {
		NulDelimitedReader reader = reader("0123456789abcdef\0", 8);
		assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("larger than 8");
	}

	private static NulDelimitedReader reader(String content, int max) {
		return new NulDelimitedReader(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), max);
	}

	/** Hands out at most 1000 bytes per read, like a pipe under load. */
	private static InputStream trickle(String content) {
		return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)) {

			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 1000));
			}

		};
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
