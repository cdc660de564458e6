package dev.agenthub.sidecar.tailscale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TailscaleStatusTests {

	static final String RUNNING = """
			{"Version":"1.76.1","BackendState":"Running","TailscaleIPs":["100.64.0.7","fd7a::7"],
			 "Self":{"ID":"n1","HostName":"ws-w1","DNSName":"ws-w1.tail.ts.net.","TailscaleIPs":["100.64.0.7","fd7a::7"],"Online":true},
			 "Peer":{}}""";

	@Test
	void shouldParseTheSelfNode() {
		assertThat(TailscaleStatus.parse(RUNNING)).isEqualTo(new TailscaleStatus("100.64.0.7", "ws-w1", true));
	}

	@Test
	void shouldBeOfflineUnlessTheBackendRuns() {
		TailscaleStatus status = TailscaleStatus
			.parse("{\"BackendState\":\"NeedsLogin\",\"Self\":{\"HostName\":\"h\"}}");

		assertThat(status).isEqualTo(new TailscaleStatus(null, "h", false));
		assertThat(status.toEventData()).containsEntry("online", false).containsEntry("hostname", "h");
	}

	@Test
	void shouldRejectWhatIsNotStatusJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> TailscaleStatus.parse("tailscale is stopped"));
	}

}
