package dev.agenthub.gateway.access;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

	/** Calls by channel name. */
	private final Map<String, AtomicInteger> callsOf = new ConcurrentHashMap<>();

	/** Answers by channel name, before {@link #answer}. */
	private final Map<String, String> answers = new ConcurrentHashMap<>();

	/** Holds every answer until counted down (when set). */
	private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();

	private final ExecutorService handlers = Executors.newFixedThreadPool(8);

	private HttpServer agentService;

	private AgentServiceChannelOwners owners;

	private CapturedLog log;

	@BeforeEach
	void start() throws Exception {
		this.agentService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.agentService.createContext("/api/channels/", (exchange) -> {
			this.calls.incrementAndGet();
			String name = exchange.getRequestURI().getPath().split("/")[3];
			this.callsOf.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
			CountDownLatch held = this.hold.get();
			if (held != null) {
				try {
					held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			String[] reply = this.answers.getOrDefault(name, this.answer.get()).split(" ", 2);
			byte[] body = reply[1].getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(Integer.parseInt(reply[0]), body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.agentService.setExecutor(this.handlers);
		this.agentService.start();
		WebClient client = WebClient.create("http://127.0.0.1:" + this.agentService.getAddress().getPort());
		this.owners = new AgentServiceChannelOwners(client, () -> "service-token", WAIT, Duration.ofMinutes(1));
		this.log = CapturedLog.of(AgentServiceChannelOwners.class);
	}

	@AfterEach
	void stop() {
		this.log.close();
		this.agentService.stop(0);
		this.handlers.shutdownNow();
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

	/**
	 * The attack: a user subscribing to made-up {@code repository:} names, more than the
	 * cache holds, to flush the owners other tenants' subscriptions are checked against
	 * (each then asks agent-service again, and is refused when it is slow). The made-up
	 * names push out only each other: a known owner is still answered without a lookup.
	 */
	@Test
	void shouldKeepKnownOwnersWhenFloodedWithMadeUpNames() {
		this.answers.put("repository:acme-web", "200 {\"workspaceId\":\"acme\"}");
		this.answer.set("404 {}");
		Channel known = Channel.parse("repository:acme-web");
		assertThat(this.owners.workspaceOf(known).block(WAIT)).isEqualTo("acme");
		int flood = AgentServiceChannelOwners.MAX_CACHED + 100;
		List<String> answered = Flux.range(0, flood)
			.flatMap((i) -> this.owners.workspaceOf(Channel.parse("repository:made-up-" + i)).defaultIfEmpty("none"),
					16)
			.collectList()
			.block(Duration.ofMinutes(2));
		assertThat(answered).hasSize(flood).containsOnly("none");
		assertThat(this.owners.workspaceOf(known).block(WAIT)).isEqualTo("acme");
		assertThat(this.callsOf.get("repository:acme-web").get()).as("lookups of the known owner").isEqualTo(1);
	}

	/** Many subscriptions to one name at once (a reconnect storm) ask once. */
	@Test
	void shouldShareOneLookupBetweenConcurrentAsksOfOneName() {
		this.answer.set("200 {\"workspaceId\":\"acme\"}");
		CountDownLatch held = new CountDownLatch(1);
		this.hold.set(held);
		Channel channel = Channel.parse("agent:a1");
		List<Mono<String>> asks = new java.util.ArrayList<>();
		for (int i = 0; i < 20; i++) {
			asks.add(this.owners.workspaceOf(channel).cache());
		}
		asks.forEach(Mono::subscribe);
		held.countDown();
		for (Mono<String> ask : asks) {
			assertThat(ask.block(WAIT)).isEqualTo("acme");
		}
		assertThat(this.calls.get()).isEqualTo(1);
	}

}
