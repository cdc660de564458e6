package dev.agenthub.shim.remote;

import java.util.Map;

import dev.agenthub.shim.cli.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteEndpointTests {

	@Test
	void shouldDefaultToLocalPort9222() {
		RemoteEndpoint endpoint = RemoteEndpoint.fromEnvironment(Map.of());
		assertThat(endpoint).isEqualTo(new RemoteEndpoint("127.0.0.1", 9222));
		assertThat(endpoint.httpUrl("/json/version")).isEqualTo("http://127.0.0.1:9222/json/version");
	}

	@Test
	void shouldSayLocalhostToChromeWhenReachedByName() {
		RemoteEndpoint endpoint = RemoteEndpoint
			.fromEnvironment(Map.of("CDP_HOST", "chrome-box.tail1234.ts.net", "CDP_PORT", "9333"));
		assertThat(endpoint.hostIsIpLiteral()).isFalse();
		assertThat(endpoint.hostHeader()).isEqualTo("localhost:9333");
		assertThat(endpoint.webSocketUrl("/devtools/browser/x"))
			.isEqualTo("ws://chrome-box.tail1234.ts.net:9333/devtools/browser/x");
	}

	@Test
	void shouldSendIpLiteralsAsTheHostHeader() {
		assertThat(RemoteEndpoint.fromEnvironment(Map.of("CDP_HOST", "100.101.102.103")).hostHeader())
			.isEqualTo("100.101.102.103:9222");
		RemoteEndpoint v6 = RemoteEndpoint.fromEnvironment(Map.of("CDP_HOST", "[fd7a:115c::1]"));
		assertThat(v6.host()).isEqualTo("fd7a:115c::1");
		assertThat(v6.hostHeader()).isEqualTo("[fd7a:115c::1]:9222");
		assertThat(v6.httpUrl("/json")).isEqualTo("http://[fd7a:115c::1]:9222/json");
	}

	@Test
	void shouldRefuseABadPort() {
		assertThatThrownBy(() -> RemoteEndpoint.fromEnvironment(Map.of("CDP_PORT", "nine")))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("CDP_PORT");
		assertThatThrownBy(() -> RemoteEndpoint.fromEnvironment(Map.of("CDP_PORT", "0")))
			.isInstanceOf(UsageException.class);
	}

}
