package dev.agenthub.integration.shim;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anonymous downloads that are never read (the attack: open hundreds, read nothing): each
 * holds a bounded part of the release, a stalled one is ended, and past the node's limit
 * new downloads are refused with 503 and {@code Retry-After}. Releases in a real
 * PostgreSQL, in chunks of the default size; bytes pulled from the store are counted.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ShimDownloadLimitsIntegrationTests.Counting.class)
class ShimDownloadLimitsIntegrationTests {

	private static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase();

	private static final int SIZE = 32 * 1024 * 1024;

	private static final byte[] RELEASE = ShimRegistryIntegrationTests.random(SIZE, 7);

	/** Bytes the store handed to downloads. */
	static final AtomicLong PULLED = new AtomicLong();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("hub.postgres.url", () -> DATABASE.r2dbcUrl().substring("r2dbc:".length()));
		registry.add("hub.postgres.user", DATABASE::username);
		registry.add("hub.postgres.password", DATABASE::password);
		registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
		registry.add("hub.shim.max-size", () -> "48MB");
		registry.add("hub.shim.max-downloads", () -> "3");
		registry.add("hub.shim.download-stall", () -> "4s");
		registry.add("hub.tailscale.api-url", () -> "http://127.0.0.1:9");
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void aDownloadWhoseClientReadsNothingHoldsABoundedPartOfTheReleaseAndIsEndedOnceStalled() throws Exception {
		publish("1.0.0");
		PULLED.set(0);
		try (Socket stalled = stalledDownload("1.0.0")) {
			Thread.sleep(2_000);
			// the socket's buffers (about 4 MB on loopback) and a bounded window of
			// pieces; before: every chunk the store had, 32 MB
			assertThat(PULLED.get()).isLessThan(12L * 1024 * 1024);
			assertThat(eventually(() -> activeDownloads() == 0, Duration.ofSeconds(15))).isTrue();
			assertThat(this.meters.get("hub.shim.downloads.stalled").counter().count()).isEqualTo(1);
			// the client sees its transfer cut short (curl: a partial file, then a retry)
			long read = drain(stalled.getInputStream());
			assertThat(read).isPositive().isLessThan(SIZE);
		}
	}

	@Test
	void downloadsPastTheNodesLimitAreRefusedWithRetryAfterUntilOneEnds() throws Exception {
		publish("2.0.0");
		List<Socket> stalled = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			stalled.add(stalledDownload("2.0.0"));
		}
		try {
			assertThat(eventually(() -> activeDownloads() == 3, Duration.ofSeconds(10))).isTrue();
			client().get()
				.uri("/api/cdp-shim/bundle?version=2.0.0")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists(HttpHeaders.RETRY_AFTER)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("unavailable");
			// a HEAD holds no slot
			client().head().uri("/api/cdp-shim/bundle?version=2.0.0").exchange().expectStatus().isOk();
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
		assertThat(eventually(() -> activeDownloads() == 0, Duration.ofSeconds(10))).isTrue();
		byte[] body = client().mutate()
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(SIZE))
			.build()
			.get()
			.uri("/api/cdp-shim/bundle?version=2.0.0")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(ShimRegistryIntegrationTests.sha256(body)).isEqualTo(ShimRegistryIntegrationTests.sha256(RELEASE));
	}

	private void publish(String version) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("version", version);
		body.part("file", new ByteArrayResource(RELEASE) {
			@Override
			public String getFilename() {
				return "chromium";
			}
		}).contentType(MediaType.APPLICATION_OCTET_STREAM);
		client().post()
			.uri("/api/cdp-shim/releases")
			.headers((headers) -> headers.setBearerAuth(TestTokens.service("ci")))
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	/**
	 * A GET whose client reads nothing (its receive buffer small, as a stalled reader's).
	 */
	private Socket stalledDownload(String version) throws Exception {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(16 * 1024);
		socket.connect(new InetSocketAddress("127.0.0.1", this.port));
		OutputStream out = socket.getOutputStream();
		out.write(("GET /api/cdp-shim/bundle?version=" + version + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	private double activeDownloads() {
		return this.meters.get("hub.shim.downloads.active").gauge().value();
	}

	private static long drain(InputStream in) throws Exception {
		byte[] buffer = new byte[64 * 1024];
		long total = 0;
		for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
			total += n;
		}
		return total;
	}

	private static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			Thread.sleep(50);
		}
		return condition.getAsBoolean();
	}

	private WebTestClient client() {
		return TestHttp.client(this.port, Duration.ofSeconds(30));
	}

	/** Counts the bytes the store hands to downloads. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Counting {

		@Bean
		static BeanPostProcessor countingReleaseStore() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					return (bean instanceof ReleaseStore store) ? new CountingStore(store) : bean;
				}
			};
		}

	}

	private record CountingStore(ReleaseStore store) implements ReleaseStore {

		@Override
		public Mono<Upload> stage(Flux<DataBuffer> content, long maxSize) {
			return this.store.stage(content, maxSize);
		}

		@Override
		public Flux<Release> list() {
			return this.store.list();
		}

		@Override
		public Mono<Release> find(SemVer version) {
			return this.store.find(version);
		}

		@Override
		public Flux<DataBuffer> read(Release release, long offset, long length) {
			return this.store.read(release, offset, length)
				.doOnNext((buffer) -> PULLED.addAndGet(buffer.readableByteCount()));
		}

	}

}
