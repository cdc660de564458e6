package dev.agenthub.socketio.engine;

import org.junit.jupiter.api.Test;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a session keeps of its handshake's query: the application's parameters, not
 * Engine.IO's own, nor the token (a {@code QueryCredential},
 * {@code QueryCredentialTests}).
 */
class EioSessionsQueryTests {

	@Test
	void shouldKeepNothingOfAQueryThatOnlyServedTheEngine() {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		query.add("EIO", "4");
		query.add("transport", "websocket");
		query.add("t", "PZk3x1a");
		query.add("sid", "abc");
		MultiValueMap<String, String> kept = EioSessions.compact(query);
		assertThat(kept).isEmpty();
		// one shared instance for all such sessions
		assertThat(EioSessions.compact(new LinkedMultiValueMap<>())).isSameAs(kept);
	}

	@Test
	void shouldKeepTheApplicationsParametersReadOnly() {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		query.add("EIO", "4");
		query.add("transport", "polling");
		query.add("room", "r1");
		query.add("flag", null);
		MultiValueMap<String, String> kept = EioSessions.compact(query);
		assertThat(kept.keySet()).containsExactlyInAnyOrder("room", "flag");
		assertThat(kept.getFirst("room")).isEqualTo("r1");
		assertThat(kept.get("flag")).containsExactly((String) null);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> kept.add("room", "other"));
		// a copy: the request's map changing later changes nothing
		query.set("room", "changed");
		assertThat(kept.getFirst("room")).isEqualTo("r1");
	}

	@Test
	void shouldNotKeepTheTokenAmongTheParameters() {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		query.add("EIO", "4");
		query.add("token", "t0k3n");
		query.add("room", "r1");
		assertThat(EioSessions.compact(query).keySet()).containsExactly("room");
	}

}
