package dev.agenthub.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.agenthub.agent.task.TaskRecord;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deadline on a client's request body ({@code hub.upload.body-idle},
 * {@code hub.upload.body-min-rate}), with one upload slot per workspace: a client that
 * stops sending its body, or trickles it, loses the upload and its slot within the
 * deadline, so that the workspace uploads again at once; an agent slow to acknowledge
 * does not count against the client.
 */
class UploadDeadlineIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final Duration BODY_IDLE = Duration.ofSeconds(1);

	/** Far more than the deadline, far less than the wait for an answer. */
	static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

	static final String WORKSPACE = "ud1";

	static final String USER = TestTokens.user("uma", WORKSPACE, "ud-slow");

	static AgentNode node;

	static Sidecar sidecar;

	@TempDir
	static Path dir;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		properties.put("hub.agent.node-id", "upload-deadline");
		properties.put("hub.upload.max-size", "16MB");
		properties.put("hub.upload.ack-timeout", "10s");
		properties.put("hub.upload.per-workspace", "1");
		properties.put("hub.upload.body-idle", BODY_IDLE.toMillis() + "ms");
		node = AgentNode.start(properties);
		sidecar = node.sidecar("sidecar-ud1", WORKSPACE, dir, WAIT);
	}

	@AfterAll
	static void stop() {
		sidecar.close();
		node.close();
	}

	@Test
	void shouldCutARawBodyThatStopsAndGiveItsSlotBack() throws Exception {
		Path target = dir.resolve("stalled.bin");
		String head = "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n";
		// 10 bytes in the deadline: idle, or under the rate, whichever is checked first
		shouldCutAStalledBodyAndGiveItsSlotBack(target, head, new byte[10], "hub.upload.body-");
	}

	@Test
	void shouldCutARawBodyThatNeverStartsAndGiveItsSlotBack() throws Exception {
		Path target = dir.resolve("never.bin");
		String head = "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n";
		shouldCutAStalledBodyAndGiveItsSlotBack(target, head, new byte[0],
				"the client sent no bytes of the body for 1s while the hub waited for them (hub.upload.body-idle)");
	}

	@Test
	void shouldCutAMultipartBodyThatStopsAndGiveItsSlotBack() throws Exception {
		Path target = dir.resolve("stalled-form.bin");
		String head = "Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: 1000000\r\n\r\n";
		byte[] start = ("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n0123456789")
			.getBytes(StandardCharsets.US_ASCII);
		shouldCutAStalledBodyAndGiveItsSlotBack(target, head, start, "hub.upload.body-");
	}

	/**
	 * The slowloris: headers announcing a megabyte, a few bytes, then nothing. Without a
	 * deadline the upload holds the workspace's one slot for as long as the client keeps
	 * the connection open.
	 */
	void shouldCutAStalledBodyAndGiveItsSlotBack(Path target, String head, byte[] start, String why) throws Exception {
		long started = System.nanoTime();
		try (Socket socket = new Socket("localhost", node.port())) {
			socket.setSoTimeout((int) WAIT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request(target, head));
			out.write(start);
			out.flush();
			// the agent was told (its partial file exists): the workspace's slot is taken
			await().atMost(WAIT).until(() -> !leftovers().isEmpty());
			String uploadId = uploadId(leftovers().get(0));
			upload(WORKSPACE, dir.resolve("meanwhile.txt"), new byte[] { 1 }).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.error")
				.value((error) -> assertThat(error.toString()).contains("has 1 uploads under way"));
			String answer = response(socket.getInputStream());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWER_WITHIN);
			assertThat(answer).startsWith("HTTP/1.1 408 ")
				.contains("\"code\":\"request_timeout\"")
				.contains("the upload is cancelled")
				.contains(why);
			// aborted at the agent (the partial file is gone), the task failed
			await().atMost(WAIT).until(() -> leftovers().isEmpty());
			TaskRecord task = node.bean(TaskStore.class).find(uploadId).block(WAIT);
			assertThat(task.status()).isEqualTo("failed");
			assertThat(task.error()).contains(why);
		}
		assertThat(target).doesNotExist();
		// the slot came back: the same workspace uploads at once
		upload(WORKSPACE, target, "after the stall".getBytes(StandardCharsets.UTF_8)).expectStatus().isCreated();
		assertThat(target).hasContent("after the stall");
	}

	@Test
	void shouldCutABodyThatTricklesUnderTheMinimumRate() throws Exception {
		Path target = dir.resolve("trickle.bin");
		long started = System.nanoTime();
		AtomicBoolean answered = new AtomicBoolean();
		try (Socket socket = new Socket("localhost", node.port())) {
			socket.setSoTimeout((int) WAIT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request(target, "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n"));
			out.flush();
			// a byte every half deadline: never idle for the whole deadline
			Thread.ofVirtual().start(() -> {
				try {
					while (!answered.get()) {
						out.write('x');
						out.flush();
						Thread.sleep(BODY_IDLE.toMillis() / 2);
					}
				}
				catch (IOException | InterruptedException ex) {
					// closed: expected
				}
			});
			String answer = response(socket.getInputStream());
			answered.set(true);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWER_WITHIN);
			assertThat(answer).startsWith("HTTP/1.1 408 ").contains("hub.upload.body-min-rate");
		}
		await().atMost(WAIT).until(() -> leftovers().isEmpty());
		upload(WORKSPACE, target, "after the trickle".getBytes(StandardCharsets.UTF_8)).expectStatus().isCreated();
		assertThat(target).hasContent("after the trickle");
	}

	@Test
	void shouldNotCountTheTimeTheAgentTakesToAcknowledge() throws Exception {
		String workspace = "ud-slow";
		Duration hold = BODY_IDLE.multipliedBy(3);
		byte[] bytes = new byte[8 * 1024 * 1024];
		new Random(7).nextBytes(bytes);
		try (WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent("agent-ud-slow", workspace)))) {
			agent
				.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
			agent.awaitType("registered");
			Thread serving = Thread.ofVirtual().start(() -> serve(agent, hold));
			long started = System.nanoTime();
			upload(workspace, Path.of("/tmp/slow-agent.bin"), bytes).expectStatus()
				.isCreated()
				.expectBody()
				.jsonPath("$.size")
				.isEqualTo(bytes.length);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(hold);
			serving.join(WAIT.toMillis());
		}
	}

	/**
	 * A fake agent: acknowledges every 4th piece, but holds its first acknowledgement
	 * back for {@code hold}, while the hub may send no more and the client's body waits;
	 * then answers the end with success.
	 */
	static void serve(WsTestClient agent, Duration hold) {
		boolean held = false;
		while (true) {
			JsonNode message = agent.next(WAIT);
			String type = message.path("type").asString();
			JsonNode data = message.path("data");
			if ("upload:chunk".equals(type) && data.path("seq").asLong() % 4 == 0) {
				if (!held) {
					held = true;
					try {
						Thread.sleep(hold);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				agent.send("{\"type\":\"upload:ack\",\"data\":{\"uploadId\":\"" + data.path("uploadId").asString()
						+ "\",\"seq\":" + data.path("seq").asLong() + "}}");
			}
			else if ("upload:end".equals(type)) {
				agent.send("{\"type\":\"upload:result\",\"data\":{\"uploadId\":\"" + data.path("uploadId").asString()
						+ "\",\"ok\":true,\"path\":\"/tmp/slow-agent.bin\",\"size\":" + data.path("size").asLong()
						+ ",\"sha256\":\"" + data.path("sha256").asString() + "\"}}");
				return;
			}
		}
	}

	static WebTestClient.ResponseSpec upload(String workspace, Path target, byte[] bytes) {
		return TestHttp.client(node.port(), WAIT)
			.post()
			.uri("/api/workspaces/" + workspace + "/files?path={path}&mode=0600", target.toString())
			.header("Authorization", "Bearer " + USER)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(bytes)
			.exchange();
	}

	static byte[] request(Path target, String head) {
		return ("POST /api/workspaces/" + WORKSPACE + "/files?path=" + target + "&mode=0600 HTTP/1.1\r\n"
				+ "Host: localhost\r\nAuthorization: Bearer " + USER + "\r\n" + head)
			.getBytes(StandardCharsets.US_ASCII);
	}

	/** The response: status line, headers and as much of the body as its length says. */
	static String response(InputStream in) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		int length = -1;
		String line;
		while (!(line = line(in)).isEmpty()) {
			read.writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
			if (line.toLowerCase().startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		read.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		read.writeBytes((length >= 0) ? in.readNBytes(length) : new byte[0]);
		return read.toString(StandardCharsets.UTF_8);
	}

	static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			line.append((char) c);
		}
		return line.toString().trim();
	}

	/** The sidecar's partial files ({@code .<name>.<uploadId>.upload}). */
	static List<String> leftovers() throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".upload"))
				.toList();
		}
	}

	static String uploadId(String leftover) {
		String name = leftover.substring(0, leftover.length() - ".upload".length());
		return name.substring(name.length() - 36);
	}

}
