package dev.agenthub.socketio.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EioCodecTests {

	@Test
	void shouldEncodePayloadWithSeparatorAndBase64Binary() {
		byte[] payload = EioCodec.encodePayload(
				List.of(EioFrame.message("hello"), EioFrame.binary(new byte[] { 1, 2, 3, 4 }), EioFrame.PING));
		assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("4hello\u001ebAQIDBA==\u001e2");
	}

	@Test
	void shouldDecodePayload() {
		List<EioInbound> packets = EioCodec.decodePayload("4hello\u001ebAQIDBA==\u001e3\u001e1");
		assertThat(packets).hasSize(4);
		assertThat(packets.get(0)).isEqualTo(new EioInbound(EioPacketType.MESSAGE, "hello", null));
		assertThat(packets.get(1).binary()).containsExactly(1, 2, 3, 4);
		assertThat(packets.get(2).type()).isEqualTo(EioPacketType.PONG);
		assertThat(packets.get(3).type()).isEqualTo(EioPacketType.CLOSE);
	}

	@Test
	void shouldRefuseInvalidPackets() {
		assertThatExceptionOfType(EioProtocolException.class).isThrownBy(() -> EioCodec.decodePayload("abc"));
		assertThatExceptionOfType(EioProtocolException.class).isThrownBy(() -> EioCodec.decodePayload(""));
		assertThatExceptionOfType(EioProtocolException.class).isThrownBy(() -> EioCodec.decodePayload("4a\u001e"));
		assertThatExceptionOfType(EioProtocolException.class).isThrownBy(() -> EioCodec.decodePayload("b!!!"));
		assertThatExceptionOfType(EioProtocolException.class).isThrownBy(() -> EioCodec.decodeText("7", false));
		// over WebSocket binary travels as binary frames, never as base64 text
		assertThatExceptionOfType(EioProtocolException.class).isThrownBy(() -> EioCodec.decodeText("bAQID", false));
	}

	@Test
	void shouldShareFrameBytesAcrossSends() {
		EioFrame frame = EioFrame.message("2[\"e\"]");
		assertThat(EioCodec.encodePayload(List.of(frame, frame)))
			.isEqualTo("42[\"e\"]\u001e42[\"e\"]".getBytes(StandardCharsets.UTF_8));
		assertThat(frame.size()).isEqualTo(7);
	}

}
