package dev.agenthub.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.metrics.GatewayMeters;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;

import static dev.agenthub.gateway.TestNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** Limits of one gateway: slow readers (4010), floods (4008), oversized frames (1009). */
class GatewayLimitsIntegrationTests {

	static TestNodes nodes;

	static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		nodes = new TestNodes("--hub.broker.history-size=10");
		gateway = nodes.gateway("--hub.gateway.max-outbound-bytes=262144");
	}

	@AfterAll
	static void stop() {
		nodes.close();
	}

	static WsTestClient connect(String token) {
		return WsTestClient.authenticated(TestNodes.ws(gateway, token));
	}

	double slowReaderCloses() {
		return gateway.getBean(MeterRegistry.class)
			.counter(GatewayMeters.CLOSES.meterName(), GatewayMeters.TAG_REASON, "slow_reader")
			.count();
	}

	@Test
	void shouldCloseASlowReaderWith4010WhileAFastOneKeepsReceiving() {
		String token = TestTokens.user("slowpoke", "limits");
		Sinks.Empty<Void> startReading = Sinks.empty();
		CompletableFuture<Integer> slowClose = new CompletableFuture<>();
		// A reader that reads nothing until told to: its socket buffers fill, then the
		// gateway's bounded queue for it.
		Disposable slow = HttpClient.create()
			.option(ChannelOption.SO_RCVBUF, 4096)
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
			.uri(TestNodes.ws(gateway, token))
			.handle((in, out) -> out
				.sendString(Mono.just("{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:limits\"}}"))
				.then()
				.then(startReading.asMono())
				.then(Mono.defer(() -> {
					in.receiveCloseStatus().subscribe((status) -> slowClose.complete(status.code()));
					return in.receive().then();
				})))
			.subscribe();
		double before = slowReaderCloses();
		try (WsTestClient fast = connect(TestTokens.user("speedy", "limits"))) {
			fast.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:limits\"}}");
			fast.awaitType("subscribed");
			String chunk = "x".repeat(32 * 1024);
			Broker broker = gateway.getBean(Broker.class);
			long deadline = System.nanoTime() + WAIT.toNanos();
			// Bursts of half the bound, each read by the fast reader before the next: it
			// keeps up, the slow one falls further behind with every burst. (A burst
			// larger than the bound would close a reader however fast: every frame counts
			// against it until the channel takes it.)
			while (slowReaderCloses() == before && System.nanoTime() < deadline) {
				Publication last = null;
				for (int i = 0; i < 4; i++) {
					last = broker
						.publish("workspace:limits", "tab:output",
								HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + chunk + "\"}"))
						.block(WAIT);
				}
				long lastOffset = last.offset();
				JsonNode seen = fast.await((node) -> node.path("offset").asLong() == lastOffset);
				assertThat(seen.get("data").get("data").asString()).hasSize(chunk.length());
			}
			assertThat(slowReaderCloses()).isEqualTo(before + 1);
			assertThat(fast.isClosed()).isFalse();
			startReading.tryEmitEmpty();
			assertThat(slowClose.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join()).isEqualTo(4010);
		}
		finally {
			slow.dispose();
		}
	}

	@Test
	void shouldCloseAFloodWith4008AfterAnError() {
		try (WsTestClient client = connect(TestTokens.user("flood", "limits"))) {
			for (int i = 0; i < 400; i++) {
				client.send("{\"type\":\"ping\"}");
			}
			JsonNode error = client.awaitType("error");
			assertThat(error.get("data").get("code").asString()).isEqualTo("rate_limited");
			assertThat(client.awaitClose(WAIT)).isEqualTo(4008);
		}
	}

	@Test
	void shouldAnswerAnOversizedFrameWithAnErrorThen1009() {
		try (WsTestClient client = connect(TestTokens.user("big", "limits"))) {
			client.send("{\"type\":\"ping\",\"data\":{\"pad\":\"" + "y".repeat(60 * 1024) + "\"}}");
			assertThat(client.awaitType("pong")).isNotNull();
			client.send("{\"type\":\"ping\",\"data\":{\"pad\":\"" + "y".repeat(70 * 1024) + "\"}}");
			JsonNode error = client.awaitType("error");
			assertThat(error.get("data").get("code").asString()).isEqualTo("too_large");
			assertThat(client.awaitClose(WAIT)).isEqualTo(1009);
		}
	}

}
