package dev.agenthub.shim.relay;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CdpMessagesTests {

	@Test
	void shouldRecogniseBrowserClose() {
		assertThat(CdpMessages.isBrowserClose(bytes("{\"id\":7,\"method\":\"Browser.close\"}"))).isTrue();
		assertThat(
				CdpMessages.isBrowserClose(Unpooled.wrappedBuffer(bytes("{\"method\": \"Browser.close\", \"id\": 1}"))))
			.isTrue();
	}

	@Test
	void shouldIgnoreEverythingElse() {
		assertThat(CdpMessages.isBrowserClose(bytes("{\"id\":1,\"method\":\"Browser.getVersion\"}"))).isFalse();
		assertThat(CdpMessages.isBrowserClose(
				bytes("{\"id\":2,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"'Browser.close'\"}}")))
			.isFalse();
		assertThat(CdpMessages.isBrowserClose(bytes("Browser.close"))).isFalse();
		assertThat(CdpMessages.isBrowserClose(new byte[10_000])).isFalse();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
