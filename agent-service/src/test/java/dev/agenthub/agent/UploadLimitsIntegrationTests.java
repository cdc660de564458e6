package dev.agenthub.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one client or one workspace can make a node hold with uploads: bodies larger than
 * {@code hub.upload.max-size} (with or without a length, raw or multipart), forms of many
 * parts, and the node's upload slots.
 */
class UploadLimitsIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final int MAX_SIZE = 64 * 1024;

	/** Uploads a node sends at once ({@code UploadService.MAX_PENDING}). */
	static final int NODE_SLOTS = 64;

	static final String WORKSPACE = "ul1";

	static final String USER = TestTokens.user("ulla", WORKSPACE);

	static AgentNode node;

	static Sidecar sidecar;

	@TempDir
	static Path dir;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		properties.put("hub.agent.node-id", "upload-limits");
		properties.put("hub.upload.max-size", MAX_SIZE + "B");
		// a result that never comes fails the upload in this time
		properties.put("hub.upload.ack-timeout", "10s");
		node = AgentNode.start(properties);
		sidecar = node.sidecar("sidecar-ul1", WORKSPACE, dir, WAIT);
	}

	@AfterAll
	static void stop() {
		sidecar.close();
		node.close();
	}

	static WebTestClient client() {
		return TestHttp.client(node.port(), WAIT);
	}

	static List<String> leftovers() throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".upload"))
				.toList();
		}
	}

	@Test
	void shouldRefuseAChunkedMultipartBodyOverTheLimitBeforeItEnds() throws Exception {
		Path target = dir.resolve("endless.bin");
		try (Socket socket = new Socket("localhost", node.port())) {
			socket.setSoTimeout((int) WAIT.toMillis());
			OutputStream out = socket.getOutputStream();
			// No length, and a file part that never ends: a server that collects the
			// form before looking at it never answers.
			Thread.ofVirtual().start(() -> {
				try {
					out.write(("POST /api/workspaces/" + WORKSPACE + "/files?path=" + target + "&mode=0600 HTTP/1.1\r\n"
							+ "Host: localhost\r\nAuthorization: Bearer " + USER + "\r\n"
							+ "Content-Type: multipart/form-data; boundary=b0undary\r\n"
							+ "Transfer-Encoding: chunked\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					chunk(out,
							("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.bin\"\r\n"
									+ "Content-Type: application/octet-stream\r\n\r\n")
								.getBytes(StandardCharsets.US_ASCII));
					byte[] piece = new byte[8 * 1024];
					for (int i = 0; i < 16 * MAX_SIZE / piece.length; i++) {
						chunk(out, piece);
					}
					out.flush();
				}
				catch (IOException ex) {
					// the server answered and closed the connection: expected
				}
			});
			String status = statusLine(socket.getInputStream());
			assertThat(status).startsWith("HTTP/1.1 413");
		}
		assertThat(target).doesNotExist();
		await().atMost(WAIT).until(() -> leftovers().isEmpty());
	}

	@Test
	void shouldRefuseAMultipartBodyOfManyParts() {
		Path target = dir.resolve("parts.txt");
		MultipartBodyBuilder many = new MultipartBodyBuilder();
		for (int i = 0; i < 100; i++) {
			many.part("field" + i, "x");
		}
		many.part("file", file("many")).contentType(MediaType.APPLICATION_OCTET_STREAM);
		form(target, many).expectStatus().isBadRequest().expectBody().jsonPath("$.error").value((error) -> {
			assertThat(error.toString()).contains("parts");
		});
		assertThat(target).doesNotExist();
		// a form with a field or two around the file is fine
		MultipartBodyBuilder few = new MultipartBodyBuilder();
		few.part("note", "first");
		few.part("file", file("few")).contentType(MediaType.APPLICATION_OCTET_STREAM);
		few.part("other", new ByteArrayResource(new byte[] { 1, 2 }) {
			@Override
			public String getFilename() {
				return "second.bin";
			}
		});
		form(target, few).expectStatus().isCreated();
		assertThat(target).hasContent("few");
	}

	@Test
	void shouldKeepOneWorkspaceToItsShareOfTheNodesUploads() throws Exception {
		String workspace = "ul-m";
		String mallory = TestTokens.user("mallory", workspace);
		List<Socket> slow = new ArrayList<>();
		List<String> answers = new CopyOnWriteArrayList<>();
		try (WsTestClient agent = agent("agent-ul-m", workspace)) {
			// as many uploads as the node takes at once, each body held open
			for (int i = 0; i < NODE_SLOTS; i++) {
				Socket socket = new Socket("localhost", node.port());
				slow.add(socket);
				OutputStream out = socket.getOutputStream();
				out.write(("POST /api/workspaces/" + workspace + "/files?path=/tmp/slow" + i + "&mode=0600 HTTP/1.1\r\n"
						+ "Host: localhost\r\nAuthorization: Bearer " + mallory + "\r\n"
						+ "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				chunk(out, new byte[] { 1 });
				out.flush();
				Thread.ofVirtual().start(() -> {
					try {
						answers.add(statusLine(socket.getInputStream()));
					}
					catch (IOException ex) {
						// closed by the test
					}
				});
			}
			// each is either under way (its agent was told) or refused
			await().atMost(WAIT).until(() -> begins(agent) + answers.size() == NODE_SLOTS);
			// another workspace still uploads
			Path target = dir.resolve("share.txt");
			client().post()
				.uri("/api/workspaces/" + WORKSPACE + "/files?path={path}&mode=0600", target.toString())
				.header("Authorization", "Bearer " + USER)
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.bodyValue("still here".getBytes(StandardCharsets.UTF_8))
				.exchange()
				.expectStatus()
				.isCreated();
			assertThat(target).hasContent("still here");
			assertThat(begins(agent)).isEqualTo(4);
			assertThat(answers).hasSize(NODE_SLOTS - 4).allMatch((line) -> line.contains(" 503 "));
		}
		finally {
			for (Socket socket : slow) {
				socket.close();
			}
		}
	}

	@Test
	void shouldNotLetAnotherWorkspacesAgentEndAnUpload() throws Exception {
		String workspace = "ul-f";
		try (WsTestClient agent = agent("agent-ul-f", workspace); WsTestClient intruder = agent("agent-ul-x", "ul-x")) {
			CompletableFuture<Integer> status = WebClient.create(node.url())
				.post()
				.uri("/api/workspaces/" + workspace + "/files?path=/tmp/forged.txt&mode=0600")
				.header("Authorization", "Bearer " + TestTokens.user("fay", workspace))
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.bodyValue("victim".getBytes(StandardCharsets.UTF_8))
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.toFuture();
			JsonNode end = agent.awaitType("upload:end").path("data");
			String uploadId = end.path("uploadId").asString();
			// another workspace's agent answers for the upload (its id leaked)
			intruder.send("{\"type\":\"upload:result\",\"data\":{\"uploadId\":\"" + uploadId
					+ "\",\"ok\":false,\"code\":\"upload_failed\",\"error\":\"forged\"}}");
			// its messages are handled in order: once this is refused, the result was too
			intruder.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"bogus\"}}");
			intruder.awaitType("error");
			agent.send("{\"type\":\"upload:result\",\"data\":{\"uploadId\":\"" + uploadId
					+ "\",\"ok\":true,\"path\":\"/tmp/forged.txt\",\"size\":" + end.path("size").asLong()
					+ ",\"sha256\":\"" + end.path("sha256").asString() + "\"}}");
			assertThat(status.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(201);
		}
	}

	static long begins(WsTestClient agent) {
		return agent.received()
			.stream()
			.filter((message) -> "upload:begin".equals(message.path("type").asString()))
			.count();
	}

	static WsTestClient agent(String agentId, String workspace) {
		WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent(agentId, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		agent.awaitType("registered");
		return agent;
	}

	static WebTestClient.ResponseSpec form(Path target, MultipartBodyBuilder body) {
		return client().post()
			.uri("/api/workspaces/" + WORKSPACE + "/files?path={path}&mode=0600", target.toString())
			.header("Authorization", "Bearer " + USER)
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange();
	}

	static ByteArrayResource file(String text) {
		return new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)) {
			@Override
			public String getFilename() {
				return "file.txt";
			}
		};
	}

	static void chunk(OutputStream out, byte[] bytes) throws IOException {
		out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	static String statusLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			line.append((char) c);
		}
		return line.toString().trim();
	}

}
