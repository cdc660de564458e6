package dev.agenthub.integration.shim;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import dev.agenthub.integration.IntegrationServiceTestBase;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry end to end over HTTP, with releases in a real PostgreSQL. */
class ShimRegistryIntegrationTests extends IntegrationServiceTestBase {

	static final int MAX = MAX_SIZE;

	@Test
	void shouldUploadListAndDownloadWithChecksum() throws Exception {
		byte[] bytes = random(50_000, 1);
		// Versions above every other test's, which share this database.
		upload("100.4.0", bytes, TestTokens.service("ci")).expectStatus()
			.isCreated()
			.expectHeader()
			.location("/api/cdp-shim/releases/100.4.0")
			.expectBody()
			.jsonPath("$.version")
			.isEqualTo("100.4.0")
			.jsonPath("$.sha256")
			.isEqualTo(sha256(bytes))
			.jsonPath("$.size")
			.isEqualTo(50_000)
			.jsonPath("$.createdAt")
			.isNotEmpty();
		upload("100.10.0-rc.1", random(100, 2), TestTokens.admin("ada")).expectStatus().isCreated();
		upload("100.3.9", random(100, 3), TestTokens.service("ci")).expectStatus().isCreated();

		client().get()
			.uri("/api/cdp-shim/releases")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.latest")
			.isEqualTo("100.4.0")
			.jsonPath("$.releases[*].version")
			.value((versions) -> assertThat(versions.toString())
				.endsWith("\"100.3.9\",\"100.4.0\",\"100.10.0-rc.1\"]"));
		client().get()
			.uri("/api/cdp-shim/releases/latest")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.version")
			.isEqualTo("100.4.0");

		byte[] downloaded = client().get()
			.uri("/api/cdp-shim/bundle")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"" + sha256(bytes) + "\"")
			.expectHeader()
			.valueEquals("X-CDP-Shim-Version", "100.4.0")
			.expectHeader()
			.valueEquals("Digest", "sha-256=" + base64Sha256(bytes))
			.expectHeader()
			.valueEquals("Repr-Digest", "sha-256=:" + base64Sha256(bytes) + ":")
			.expectHeader()
			.valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=chromium")
			.expectHeader()
			.contentLength(50_000)
			.expectHeader()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(sha256(downloaded)).isEqualTo(sha256(bytes));

		client().get()
			.uri("/api/cdp-shim/bundle?version=100.10.0-rc.1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-CDP-Shim-Version", "100.10.0-rc.1")
			.expectHeader()
			.valueMatches(HttpHeaders.CACHE_CONTROL, ".*immutable.*");
	}

	@Test
	void shouldAnswerConditionalAndRangeRequests() throws Exception {
		byte[] bytes = random(20_000, 4);
		upload("2.0.0", bytes, TestTokens.service("ci")).expectStatus().isCreated();
		String etag = "\"" + sha256(bytes) + "\"";

		client().get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.header(HttpHeaders.IF_NONE_MATCH, etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectBody()
			.isEmpty();
		client().get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.header(HttpHeaders.IF_NONE_MATCH, "\"other\"")
			.exchange()
			.expectStatus()
			.isOk();

		byte[] part = client().get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.header(HttpHeaders.RANGE, "bytes=4000-12999")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 4000-12999/20000")
			.expectHeader()
			.contentLength(9000)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(part).isEqualTo(Arrays.copyOfRange(bytes, 4000, 13000));

		byte[] suffix = client().get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.header(HttpHeaders.RANGE, "bytes=-100")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(suffix).isEqualTo(Arrays.copyOfRange(bytes, 19_900, 20_000));

		client().get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.header(HttpHeaders.RANGE, "bytes=20000-")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */20000");

		client().get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.header(HttpHeaders.RANGE, "bytes=0-9")
			.header(HttpHeaders.IF_RANGE, "\"stale\"")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(20_000);

		client().head()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(20_000)
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, etag)
			.expectBody()
			.isEmpty();
	}

	@Test
	void shouldBeIdempotentForTheSameBytesAndRefuseOthers() {
		byte[] bytes = random(5000, 5);
		upload("3.0.0", bytes, TestTokens.service("ci")).expectStatus().isCreated();
		upload("3.0.0", bytes, TestTokens.service("ci")).expectStatus().isOk();
		upload("3.0.0", random(5000, 6), TestTokens.service("ci")).expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("conflict")
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("3.0.0", "immutable"));
		client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("hub_shim_uploads_total{outcome=\"conflict\"}",
					"hub_shim_uploads_total{outcome=\"identical\"}", "hub_shim_uploads_total{outcome=\"created\"}"));
	}

	@Test
	void shouldRefuseUploadsWithoutAnAdminOrServiceToken() {
		upload("4.0.0", random(10, 7), null).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("unauthorized");
		upload("4.0.0", random(10, 7), TestTokens.user("u1", "w1")).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		upload("4.0.0", random(10, 7), TestTokens.agent("a1", "w1")).expectStatus().isForbidden();
		client().get().uri("/api/cdp-shim/releases/4.0.0").exchange().expectStatus().isNotFound();
	}

	@Test
	void shouldRefuseUploadsOverTheSizeLimit() {
		upload("5.0.0", random(MAX + 200 * 1024, 8), TestTokens.service("ci")).expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("too_large");
		client().get().uri("/api/cdp-shim/releases/5.0.0").exchange().expectStatus().isNotFound();
	}

	@Test
	void shouldStopAStreamedUploadPastTheLimitEvenWithoutAnHonestLength() {
		// Just over the limit, within the multipart allowance: the stream counter catches
		// it.
		upload("5.1.0", random(MAX + 1, 9), TestTokens.service("ci")).expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		upload("5.1.0", random(MAX, 9), TestTokens.service("ci")).expectStatus().isCreated();
	}

	@Test
	void shouldExplainBadUploads() {
		upload("v1", random(10, 10), TestTokens.service("ci")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((message) -> assertThat(message.toString()).contains("SemVer"));
		MultipartBodyBuilder noFile = new MultipartBodyBuilder();
		noFile.part("version", "6.0.0");
		client().post()
			.uri("/api/cdp-shim/releases")
			.headers((headers) -> headers.setBearerAuth(TestTokens.service("ci")))
			.body(BodyInserters.fromMultipartData(noFile.build()))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("bad_request");
		client().get().uri("/api/cdp-shim/bundle?version=9.9.9").exchange().expectStatus().isNotFound();
		client().get().uri("/api/cdp-shim/bundle?version=latest").exchange().expectStatus().isBadRequest();
	}

	/**
	 * A form with two files is refused, and nothing of it is kept. Before, the first file
	 * was committed as the release before the second part was seen: the upload got 400,
	 * yet {@code 0.3.0-rc.1} existed with the first file's bytes and a correct upload of
	 * that version got 409 forever.
	 */
	@Test
	void shouldKeepNothingOfAnUploadWithTwoFiles() throws Exception {
		MultipartBodyBuilder twoFiles = new MultipartBodyBuilder();
		twoFiles.part("version", "0.3.0-rc.1");
		twoFiles.part("file", file(random(3000, 12))).contentType(MediaType.APPLICATION_OCTET_STREAM);
		twoFiles.part("file", file(random(3000, 13))).contentType(MediaType.APPLICATION_OCTET_STREAM);
		client().post()
			.uri("/api/cdp-shim/releases")
			.headers((headers) -> headers.setBearerAuth(TestTokens.service("ci")))
			.body(BodyInserters.fromMultipartData(twoFiles.build()))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("bad_request")
			.jsonPath("$.error")
			.isEqualTo("send exactly one 'file' part");
		client().get().uri("/api/cdp-shim/releases/0.3.0-rc.1").exchange().expectStatus().isNotFound();
		await().atMost(Duration.ofSeconds(10)).until(() -> orphanChunks() == 0);
		byte[] right = random(3000, 14);
		upload("0.3.0-rc.1", right, TestTokens.service("ci")).expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.sha256")
			.isEqualTo(sha256(right));
	}

	/**
	 * A client that sends its whole file part and then goes away before the form ends
	 * leaves nothing. Before, the release was committed as soon as the file part ended.
	 */
	@Test
	void shouldKeepNothingOfAnUploadWhoseClientLeavesBeforeTheFormEnds() throws Exception {
		byte[] bytes = random(3000, 15);
		String boundary = "b0undary";
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n0.4.0-rc.1\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"chromium\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		// the file part ends with the next boundary; the form never does
		byte[] next = ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nmore")
			.getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/cdp-shim/releases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
					+ TestTokens.service("ci") + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
					+ "\r\nContent-Length: " + (head.length + bytes.length + next.length + 1000) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(head);
			out.write(bytes);
			out.write(next);
			out.flush();
			// long enough for the server to have read and stored the file part
			Thread.sleep(1500);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> orphanChunks() == 0);
		client().get().uri("/api/cdp-shim/releases/0.4.0-rc.1").exchange().expectStatus().isNotFound();
		upload("0.4.0-rc.1", random(3000, 16), TestTokens.service("ci")).expectStatus().isCreated();
	}

	/** Chunk rows of no release: uploads that were refused or abandoned. */
	static long orphanChunks() throws Exception {
		try (Connection connection = DriverManager.getConnection(DATABASE.jdbcUrl());
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT count(*) FROM shim_chunk c WHERE NOT EXISTS"
							+ " (SELECT 1 FROM shim_release r WHERE r.upload_id = c.upload_id)")) {
			result.next();
			return result.getLong(1);
		}
	}

	static ByteArrayResource file(byte[] bytes) {
		return new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "chromium";
			}
		};
	}

	@Test
	void shouldAcceptTheVersionAsAQueryParameter() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new ByteArrayResource(random(300, 11)) {
			@Override
			public String getFilename() {
				return "chromium";
			}
		});
		client().post()
			.uri("/api/cdp-shim/releases?version=7.0.0")
			.headers((headers) -> headers.setBearerAuth(TestTokens.admin("ada")))
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void shouldKeepItsOwnMigrationHistorySoServicesCanShareADatabase() throws Exception {
		try (Connection connection = DriverManager.getConnection(DATABASE.jdbcUrl());
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT count(*) FROM flyway_integration_history WHERE success")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getInt(1)).isPositive();
		}
	}

	WebTestClient.ResponseSpec upload(String version, byte[] bytes, String token) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("version", version);
		body.part("file", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "chromium";
			}
		}).contentType(MediaType.APPLICATION_OCTET_STREAM);
		return client().post().uri("/api/cdp-shim/releases").headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
		}).body(BodyInserters.fromMultipartData(body.build())).exchange();
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	static String base64Sha256(byte[] bytes) throws Exception {
		return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
