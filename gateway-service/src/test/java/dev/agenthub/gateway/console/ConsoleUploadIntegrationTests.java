package dev.agenthub.gateway.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's upload proxy ({@code POST /api/console/workspaces/{id}/files}) on a real
 * gateway against a stub agent-service that records what it is asked and how many body
 * bytes reached it. The user's right to drive the workspace is checked by the gateway
 * before agent-service is asked (agent-service trusts the gateway's service token for
 * every workspace): another tenant, a watcher and a caller without a token ask it
 * nothing. The body is bounded by {@code hub.console.upload-max-size} (64 KB here): by
 * its length before it is read, and a chunked body as it passes the bound, never
 * collected in the gateway.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.gateway.history-url=http://127.0.0.1:9", "hub.console.integration-url=http://127.0.0.1:9",
				"hub.console.upload-max-size=64KB" })
class ConsoleUploadIntegrationTests {

	static final int MAX = 64 * 1024;

	/**
	 * What the stub was asked: the call (decoded, and as sent), the user, the bearer, the
	 * body's length.
	 */
	static final List<Request> requests = new CopyOnWriteArrayList<>();

	/** Body bytes that reached the stub, all requests together. */
	static final AtomicLong received = new AtomicLong();

	static final DisposableServer agentService = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> {
			String call = request.method().name() + " " + URLDecoder.decode(request.uri(), StandardCharsets.UTF_8);
			MessageDigest sha = sha256();
			AtomicLong size = new AtomicLong();
			return request.receive().doOnNext((buffer) -> {
				byte[] bytes = new byte[buffer.readableBytes()];
				buffer.readBytes(bytes);
				sha.update(bytes);
				size.addAndGet(bytes.length);
				received.addAndGet(bytes.length);
			}).then(Mono.defer(() -> {
				requests.add(new Request(call, request.uri(), request.requestHeaders().get("X-Hub-On-Behalf-Of"),
						request.requestHeaders().get("Authorization"), request.requestHeaders().get("Content-Type"),
						size.get()));
				String reply = call.contains("path=/proc/")
						? "400 {\"code\":\"bad_request\",\"error\":"
								+ "\"refused_path: /proc/x is under /proc, where uploads do not go\"}"
						: "201 {\"taskId\":\"up-1\",\"workspaceId\":\"w1\",\"path\":\"/repo/notes.txt\",\"size\":"
								+ size.get() + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest())
								+ "\",\"mode\":\"0644\"}";
				String[] parts = reply.split(" ", 2);
				return response.status(Integer.parseInt(parts[0]))
					.header("Content-Type", "application/json")
					.sendString(Mono.just(parts[1]))
					.then();
			}));
		})
		.bindNow();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.gateway.agent-service-url", () -> "http://127.0.0.1:" + agentService.port());
	}

	@AfterAll
	static void stopAgentService() {
		agentService.disposeNow();
	}

	@LocalServerPort
	int port;

	WebTestClient http;

	@BeforeEach
	void forget() {
		requests.clear();
		received.set(0);
		this.http = TestHttp.client(this.port, Duration.ofSeconds(20));
	}

	@Test
	void shouldStreamTheFileToAgentServiceForTheUserAndPassItsAnswerBack() throws Exception {
		byte[] file = "hello from the console\n".getBytes(StandardCharsets.UTF_8);
		this.http.post()
			.uri("/api/console/workspaces/w1/files?path=notes.txt&mode=0644")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user("alice", "w1"))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(file)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.path")
			.isEqualTo("/repo/notes.txt")
			.jsonPath("$.size")
			.isEqualTo(file.length)
			.jsonPath("$.sha256")
			.isEqualTo(HexFormat.of().formatHex(sha256().digest(file)));
		assertThat(requests).hasSize(1);
		Request asked = requests.get(0);
		assertThat(asked.call()).isEqualTo("POST /api/workspaces/w1/files?path=notes.txt&mode=0644");
		assertThat(asked.user()).isEqualTo("alice");
		// the gateway's own token, never the user's
		assertThat(asked.bearer()).startsWith("Bearer ").doesNotContain(TestTokens.user("alice", "w1"));
		assertThat(asked.contentType()).isEqualTo("application/octet-stream");
		assertThat(asked.size()).isEqualTo(file.length);
	}

	@Test
	void shouldPassAPathAndASha256OnEncodedAndTheRefusalBackWithItsCode() {
		this.http.post()
			.uri((uri) -> uri.path("/api/console/workspaces/w1/files")
				.queryParam("path", "{path}")
				.queryParam("sha256", "{sha}")
				.build("/proc/x&mode=0777", "ab".repeat(32)))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user("alice", "w1"))
			.bodyValue(new byte[] { 1, 2, 3 })
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("bad_request")
			.jsonPath("$.error")
			.value((error) -> assertThat((String) error).startsWith("refused_path: "));
		assertThat(requests).hasSize(1);
		// one path (encoded), not a second mode smuggled in
		assertThat(requests.get(0).raw())
			.isEqualTo("/api/workspaces/w1/files?path=%2Fproc%2Fx%26mode%3D0777&mode=0600&sha256=" + "ab".repeat(32));
	}

	@Test
	void shouldNotUploadForAnotherTenantAWatcherOrAnyoneWithoutAToken() {
		// alice may use w1 only: w2 is another tenant's
		upload(TestTokens.user("alice", "w1"), "w2", new byte[] { 1 }).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		// wendy may watch w1 but drive only w2
		upload(TestTokens.user("wendy", List.of("w1", "w2"), List.of("w2")), "w1", new byte[] { 1 }).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.error")
			.value((error) -> assertThat((String) error).contains("may watch but not upload"));
		this.http.post()
			.uri("/api/console/workspaces/w1/files?path=x")
			.bodyValue(new byte[] { 1 })
			.exchange()
			.expectStatus()
			.isUnauthorized();
		upload(TestTokens.user("alice", "w1"), "w1%2F..%2Fw2", new byte[] { 1 }).expectStatus().is4xxClientError();
		assertThat(requests).isEmpty();
		assertThat(received.get()).isZero();
	}

	@Test
	void shouldRefuseABodyOverTheBoundByItsLengthBeforeReadingIt() {
		upload(TestTokens.user("alice", "w1"), "w1", new byte[MAX + 1]).expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_large");
		assertThat(requests).isEmpty();
		assertThat(received.get()).isZero();
		upload(TestTokens.user("alice", "w1"), "w1", new byte[MAX]).expectStatus().isCreated();
	}

	@Test
	void shouldCutAChunkedBodyAsItPassesTheBound() {
		// 1 MB without a length, in 8 KB pieces: refused once 64 KB have passed
		Flux<DataBuffer> body = Flux.range(0, 128)
			.map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[8 * 1024]));
		this.http.post()
			.uri("/api/console/workspaces/w1/files?path=big.bin")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.user("alice", "w1"))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(body, DataBuffer.class)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_large");
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> received.get() <= MAX);
		assertThat(requests).noneMatch((r) -> r.size() > MAX);
	}

	WebTestClient.ResponseSpec upload(String token, String workspace, byte[] file) {
		return this.http.post()
			.uri("/api/console/workspaces/" + workspace + "/files?path=f.bin")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(file)
			.exchange();
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Request(String call, String raw, String user, String bearer, String contentType, long size) {

	}

}
