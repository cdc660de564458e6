package dev.agenthub.gateway.access;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import com.sun.net.httpserver.HttpServer;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.testsupport.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 12: a refused or failing owner lookup is remembered, so a client
 * repeating a refused subscription costs one HTTP call and one WARN line, not one per
 * attempt. A real HTTP server stands in for agent-service.
 */
class AgentServiceChannelOwnersTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicReference<String> answer = new AtomicReference<>("500 {}");

	private HttpServer agentService;

	private AgentServiceChannelOwners owners;

	private CapturedLog log;

	@BeforeEach
	void start() throws Exception {
		this.agentService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.agentService.createContext("/api/channels/", (exchange) -> {
			this.calls.incrementAndGet();
			String[] reply = this.answer.get().split(" ", 2);
			byte[] body = reply[1].getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(Integer.parseInt(reply[0]), body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.agentService.start();
		WebClient client = WebClient.create("http://127.0.0.1:" + this.agentService.getAddress().getPort());
		this.owners = new AgentServiceChannelOwners(client, () -> "service-token", WAIT, Duration.ofMinutes(1));
		this.log = CapturedLog.of(AgentServiceChannelOwners.class);
	}

	@AfterEach
	void stop() {
		this.log.close();
		this.agentService.stop(0);
	}

	@Test
	void shouldAskAFailingAgentServiceOnceAndWarnOnceForRepeatedAttempts() {
		Channel channel = Channel.parse("repository:acme-web");
		for (int i = 0; i < 50; i++) {
			assertThat(this.owners.workspaceOf(channel).blockOptional(WAIT)).isEmpty();
		}
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(this.log.events().stream().filter((event) -> event.getLevel() == Level.WARN)).hasSize(1);
	}

	@Test
	void shouldRememberARefusalLikeAMissingOwner() {
		this.answer.set("400 {\"code\":\"bad_request\"}");
		Channel channel = Channel.parse("conversation:c1");
		for (int i = 0; i < 20; i++) {
			assertThat(this.owners.workspaceOf(channel).blockOptional(WAIT)).isEmpty();
		}
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(this.log.events().stream().filter((event) -> event.getLevel() == Level.WARN)).isEmpty();
	}

	@Test
	void shouldRememberAnOwner() {
		this.answer.set("200 {\"workspaceId\":\"acme\"}");
		Channel channel = Channel.parse("repository:acme-web");
		for (int i = 0; i < 20; i++) {
			assertThat(this.owners.workspaceOf(channel).block(WAIT)).isEqualTo("acme");
		}
		assertThat(this.calls.get()).isEqualTo(1);
	}

}
