package dev.agenthub.contracts;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelTests {

	@Test
	void shouldParseEveryKindAndRoundTrip() {
		for (ChannelKind kind : ChannelKind.values()) {
			String name = kind.hasId() ? kind.prefix() + ":id-1_x.y@z" : "broadcast";
			Channel channel = Channel.parse(name);
			assertThat(channel.kind()).isEqualTo(kind);
			assertThat(channel.name()).isEqualTo(name);
		}
		assertThat(Channel.parse("workspace:w1")).isEqualTo(Channel.workspace("w1"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "''|channel is required", "w1|is not of the form kind:id", "room:1|unknown kind 'room'",
					"workspace:|needs an id", "workspace:a b|invalid character ' '",
					"workspace:a:b|invalid character ':'", "broadcast:x|unknown kind 'broadcast'" })
	void shouldRejectMalformedNamesPrecisely(String name, String message) {
		assertThatThrownBy(() -> Channel.parse(name)).isInstanceOf(ContractViolation.class)
			.hasMessageContaining(message)
			.satisfies((ex) -> assertThat(((ContractViolation) ex).code()).isEqualTo(ErrorCode.BAD_REQUEST));
	}

	@Test
	void shouldRejectOverlongNames() {
		assertThatThrownBy(() -> Channel.parse("workspace:" + "a".repeat(129))).hasMessageContaining("longer than 128");
		assertThatThrownBy(() -> Channel.parse("workspace:" + "a".repeat(300))).hasMessageContaining("longer than 255");
	}

	@Test
	void shouldTellAValidIdAsTheChannelsDo() {
		for (String id : new String[] { "w1", "tab-42", "a.b_c@d", "x".repeat(128) }) {
			assertThat(Channel.isValidId(id)).as(id).isTrue();
			assertThat(Channel.client(id).id()).isEqualTo(id);
		}
		for (String id : new String[] { "", "a:b", "{slot}", "a b", "é", "x".repeat(129) }) {
			assertThat(Channel.isValidId(id)).as(id).isFalse();
			assertThatThrownBy(() -> Channel.client(id)).isInstanceOf(ContractViolation.class);
		}
	}

}
