package dev.agenthub.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * File upload into a container through a real sidecar, across two agent-service nodes on
 * one Redis and one PostgreSQL: the request on node A, the agent on node B.
 */
class FileUploadIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final String WORKSPACE = "up1";

	static final String USER = TestTokens.user("alice", WORKSPACE, "up-none");

	static AgentNode nodeA;

	static AgentNode nodeB;

	static Sidecar sidecar;

	@TempDir
	static Path dir;

	@BeforeAll
	static void start() {
		Map<String, Object> shared = AgentNode.clusterProperties();
		shared.put("hub.upload.max-size", "8MB");
		Map<String, Object> a = new HashMap<>(shared);
		a.put("hub.agent.node-id", "upload-a");
		nodeA = AgentNode.start(a);
		Map<String, Object> b = new HashMap<>(shared);
		b.put("hub.agent.node-id", "upload-b");
		nodeB = AgentNode.start(b);
		SidecarConfig config = SidecarConfig.of(URI.create("ws://localhost:" + nodeB.port() + "/agent/ws"),
				TestTokens.agent("sidecar-up1", WORKSPACE), WORKSPACE, dir);
		sidecar = Sidecar.start(config);
		await().atMost(WAIT).until(() -> {
			AgentRecord agent = nodeA.bean(AgentStore.class).find(WORKSPACE).block(WAIT);
			return agent != null && "connected".equals(agent.status()) && "upload-b".equals(agent.nodeId());
		});
	}

	@AfterAll
	static void stop() {
		sidecar.close();
		nodeA.close();
		nodeB.close();
	}

	static WebTestClient client() {
		return TestHttp.client(nodeA.port(), WAIT);
	}

	static WebTestClient.ResponseSpec upload(String workspace, String path, String mode, String sha256, byte[] bytes) {
		String uri = "/api/workspaces/" + workspace + "/files?path={path}&mode=" + mode
				+ ((sha256 != null) ? "&sha256=" + sha256 : "");
		return client().post()
			.uri(uri, path)
			.header("Authorization", "Bearer " + USER)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(bytes)
			.exchange();
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	static List<String> leftovers() throws Exception {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".upload"))
				.toList();
		}
	}

	@Test
	void shouldWriteAFileOfSomeMebibytesThroughTheAgentOnAnotherNode() throws Exception {
		byte[] bytes = random(3 * 1024 * 1024 + 123, 1);
		Path target = dir.resolve("id_ed25519");
		JsonNode answer = upload(WORKSPACE, target.toString(), "0640", sha256(bytes), bytes).expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.get("path").asString()).isEqualTo(target.toString());
		assertThat(answer.get("size").asLong()).isEqualTo(bytes.length);
		assertThat(answer.get("sha256").asString()).isEqualTo(sha256(bytes));
		assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
		assertThat(leftovers()).isEmpty();

		String taskId = answer.get("taskId").asString();
		List<Publication> events = nodeA.bean(Broker.class).history("task:" + taskId, 0, 1000).block(WAIT).events();
		List<String> types = events.stream().map((event) -> event.event().type()).toList();
		assertThat(types).contains("upload:progress").endsWith("task:status");
		JsonNode last = events.get(events.size() - 1).event().data();
		assertThat(last.get("status").asString()).isEqualTo("completed");
		assertThat(last.get("sha256").asString()).isEqualTo(sha256(bytes));
		client().get()
			.uri("/api/tasks/" + taskId)
			.header("Authorization", "Bearer " + USER)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("completed");
	}

	@Test
	void shouldTakeAMultipartBodyAndReplaceAnExistingFile() throws Exception {
		Path target = dir.resolve("config.json");
		Files.writeString(target, "old");
		byte[] bytes = "{\"new\":true}".getBytes();
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "config.json";
			}
		}).contentType(MediaType.APPLICATION_OCTET_STREAM);
		client().post()
			.uri("/api/workspaces/" + WORKSPACE + "/files?path={path}&mode=600", target.toString())
			.header("Authorization", "Bearer " + USER)
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus()
			.isCreated();
		assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
	}

	/**
	 * The console's gateway uploads for a user: the task records both, as for commands
	 * (it recorded only the gateway).
	 */
	@Test
	void shouldRecordTheUserAServiceUploadsFor() throws Exception {
		Path target = dir.resolve("for-alice.txt");
		JsonNode answer = client().post()
			.uri("/api/workspaces/" + WORKSPACE + "/files?path={path}", target.toString())
			.header("Authorization", "Bearer " + TestTokens.service("gateway-service"))
			.header("X-Hub-On-Behalf-Of", "alice")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue("hi".getBytes())
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		client().get()
			.uri("/api/tasks/" + answer.get("taskId").asString())
			.header("Authorization", "Bearer " + USER)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.requestedBy")
			.isEqualTo("gateway-service/alice");
	}

	@Test
	void shouldRefuseAChecksumMismatchAndLeaveNothingBehind() throws Exception {
		Path target = dir.resolve("mismatch.bin");
		byte[] bytes = random(200_000, 2);
		upload(WORKSPACE, target.toString(), "0600", sha256(new byte[] { 1 }), bytes).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("conflict")
			.jsonPath("$.error")
			.value((error) -> assertThat(error.toString()).startsWith("checksum_mismatch: "));
		assertThat(target).doesNotExist();
		assertThat(leftovers()).isEmpty();
	}

	@Test
	void shouldSayClearlyWhatCannotBeUploaded() throws Exception {
		upload(WORKSPACE, "/proc/nope", "0600", null, new byte[] { 1 }).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((error) -> assertThat(error.toString()).startsWith("refused_path: "));
		upload(WORKSPACE, dir.resolve("no-such-dir/file").toString(), "0600", null, new byte[] { 1 }).expectStatus()
			.isBadRequest();
		upload(WORKSPACE, dir.resolve("x").toString(), "0999", null, new byte[] { 1 }).expectStatus().isBadRequest();
		upload("up-none", dir.resolve("x").toString(), "0600", null, new byte[] { 1 }).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("no_agent");
		upload("elsewhere", dir.resolve("x").toString(), "0600", null, new byte[] { 1 }).expectStatus().isForbidden();
		// a watch-only token (exec claim without this workspace) may not drive it
		String watcher = TenantIsolationIntegrationTests.token("wanda", List.of(WORKSPACE), List.of(),
				Duration.ofMinutes(5));
		client().post()
			.uri("/api/workspaces/" + WORKSPACE + "/files?path={path}&mode=0600", dir.resolve("x").toString())
			.header("Authorization", "Bearer " + watcher)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(new byte[] { 1 })
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.error")
			.value((error) -> assertThat(error.toString()).contains("may watch but not upload"));
		// as curl sends a large body: headers first, the body only after 100 Continue
		HttpResponse<String> tooLarge = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create(nodeA.url() + "/api/workspaces/" + WORKSPACE + "/files?path="
						+ dir.resolve("big") + "&mode=0600"))
				.header("Authorization", "Bearer " + USER)
				.expectContinue(true)
				.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[9 * 1024 * 1024]))
				.timeout(WAIT)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.body()).contains("too_large");
		assertThat(dir.resolve("x")).doesNotExist();
		assertThat(dir.resolve("big")).doesNotExist();
		assertThat(leftovers()).isEmpty();
	}

}
