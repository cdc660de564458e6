package dev.agenthub.gateway;

import java.time.Duration;
import java.util.List;

import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code auth} reply is a connection's first message (seed 002: "sent immediately
 * after connection"), on the memory engine of the one-process hub, where a user's own
 * {@code online} is published fastest.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "hub.auth.jwt-secret=" + TestTokens.SECRET)
class AuthReplyFirstTests {

	@LocalServerPort
	int port;

	@Test
	void shouldAnswerWithAuthBeforeAnyEventEvenTheUsersOwnPresence() {
		// A user's own "online" went to a channel it is on from the start (user:, for one
		// with no workspace; broadcast, for admins) and raced the reply: it often came
		// first, and a client waiting for auth saw an event from before it.
		for (int i = 0; i < 20; i++) {
			for (String token : List.of(
					TestTokens.sign(TestTokens.SECRET, "loner-" + i, List.of("user"), null, null, Duration.ofHours(1)),
					TestTokens.admin("root-" + i))) {
				try (WsTestClient client = WsTestClient
					.connect("ws://localhost:" + this.port + "/ws?subscribe=none&token=" + token)) {
					JsonNode first = client.next();
					assertThat(first.path("type").asString()).as("the first message: %s", first).isEqualTo("auth");
				}
			}
		}
	}

}
