package dev.agenthub.socketio;

import java.time.Duration;

import dev.agenthub.socketio.parser.SioJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConfigAndRecoveryTests {

	@Test
	void shouldUseReferenceServerDefaults() {
		SocketIoConfig config = SocketIoConfig.defaults();
		assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(25));
		assertThat(config.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(config.maxPayload()).isEqualTo(1_000_000);
		assertThat(config.maxOutboundBytes()).isEqualTo(1L << 20);
	}

	@Test
	void shouldRefuseInconsistentSettings() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SocketIoConfig.defaults().withHeartbeat(Duration.ZERO, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> SocketIoConfig.defaults().withMaxOutboundBytes(10));
		assertThatIllegalArgumentException().isThrownBy(() -> SocketIoConfig.defaults().withMaxSessions(0));
	}

	@Test
	void shouldReadRecoveryFieldsFromConnectPayload() {
		assertThat(RecoveryRequest.from(SioJson.parse("{\"token\":\"t\",\"pid\":\"p1\",\"offset\":\"42\"}")))
			.contains(new RecoveryRequest("p1", "42"));
		assertThat(RecoveryRequest.from(SioJson.parse("{\"pid\":\"p1\"}"))).contains(new RecoveryRequest("p1", null));
		assertThat(RecoveryRequest.from(SioJson.parse("{\"token\":\"t\"}"))).isEmpty();
		assertThat(RecoveryRequest.from(SioJson.parse("{\"pid\":5}"))).isEmpty();
	}

	@Test
	void shouldRequirePidForRecoveredDecision() {
		SocketListener listener = new SocketListener() {
		};
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectDecision.Accept(listener, null, true, null));
		ConnectDecision.Accept recovered = ConnectDecision.recovered(listener, new RecoveryRequest("p", "1"), "s");
		assertThat(recovered.pid()).isEqualTo("p");
		assertThat(recovered.recovered()).isTrue();
		assertThat(recovered.socketId()).isEqualTo("s");
	}

}
