package dev.agenthub.integration.shim;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link ReleaseStore} must do. Stores are created with {@link #CHUNK} byte
 * chunks so that small test files already span many of them.
 */
abstract class ReleaseStoreContractTests {

	static final int CHUNK = 1024;

	static final Duration TIMEOUT = Duration.ofSeconds(20);

	ReleaseStore store;

	/** A new, empty store with {@link #CHUNK} byte chunks. */
	abstract ReleaseStore createStore() throws Exception;

	/**
	 * Staged bytes of no release the store still holds (chunk rows, part files): what
	 * refused, discarded or cancelled uploads left behind.
	 */
	abstract long leftovers() throws Exception;

	@BeforeEach
	void setUp() throws Exception {
		this.store = createStore();
	}

	@Test
	void shouldStoreStreamedBytesAndReadThemBack() throws Exception {
		byte[] bytes = random(10 * CHUNK + 123, 1);
		ReleaseStore.Stored stored = put("1.0.0", bytes, 1 << 20);
		assertThat(stored.created()).isTrue();
		assertThat(stored.release().sha256()).isEqualTo(sha256(bytes));
		assertThat(stored.release().size()).isEqualTo(bytes.length);
		Release found = this.store.find(SemVer.parse("1.0.0")).block(TIMEOUT);
		assertThat(found).isEqualTo(stored.release());
		assertThat(read(found, 0, bytes.length)).isEqualTo(bytes);
	}

	@Test
	void shouldServeAnyByteRange() {
		byte[] bytes = random(5 * CHUNK + 7, 2);
		Release release = put("2.0.0", bytes, 1 << 20).release();
		long[][] ranges = { { 0, 1 }, { CHUNK - 1, 2 }, { CHUNK, CHUNK }, { 123, 3 * CHUNK }, { bytes.length - 1, 1 },
				{ 5 * CHUNK, 7 }, { 0, bytes.length } };
		for (long[] range : ranges) {
			byte[] expected = java.util.Arrays.copyOfRange(bytes, (int) range[0], (int) (range[0] + range[1]));
			assertThat(read(release, range[0], range[1])).as("range %d+%d", range[0], range[1]).isEqualTo(expected);
		}
		assertThat(read(release, 10, 0)).isEmpty();
	}

	@Test
	void shouldTreatTheSameBytesAgainAsIdempotent() {
		byte[] bytes = random(3000, 3);
		Release first = put("1.1.0", bytes, 1 << 20).release();
		ReleaseStore.Stored again = put("1.1.0", bytes, 1 << 20);
		assertThat(again.created()).isFalse();
		assertThat(again.release()).isEqualTo(first);
		assertThat(this.store.list().collectList().block(TIMEOUT)).hasSize(1);
	}

	@Test
	void shouldRefuseOtherBytesForAnExistingVersion() {
		byte[] bytes = random(3000, 4);
		Release first = put("1.2.0", bytes, 1 << 20).release();
		Mono<ReleaseStore.Stored> other = this.store.put(SemVer.parse("1.2.0"), flux(random(3000, 5)), 1 << 20);
		StepVerifier.create(other).expectErrorSatisfies((ex) -> assertCode(ex, ErrorCode.CONFLICT)).verify(TIMEOUT);
		assertThat(this.store.find(SemVer.parse("1.2.0")).block(TIMEOUT)).isEqualTo(first);
		assertThat(read(first, 0, bytes.length)).isEqualTo(bytes);
	}

	@Test
	void shouldStopAnUploadAtTheSizeLimitAndKeepNothing() throws Exception {
		Mono<ReleaseStore.Stored> tooLarge = this.store.put(SemVer.parse("3.0.0"), flux(random(4 * CHUNK, 6)),
				3 * CHUNK);
		StepVerifier.create(tooLarge).expectErrorSatisfies((ex) -> assertCode(ex, ErrorCode.TOO_LARGE)).verify(TIMEOUT);
		assertThat(this.store.find(SemVer.parse("3.0.0")).blockOptional(TIMEOUT)).isEmpty();
		assertThat(leftovers()).isZero();
		byte[] exact = random(3 * CHUNK, 7);
		assertThat(put("3.0.0", exact, 3 * CHUNK).release().size()).isEqualTo(3 * CHUNK);
	}

	@Test
	void shouldRefuseAnEmptyFile() {
		StepVerifier.create(this.store.put(SemVer.parse("4.0.0"), Flux.empty(), 1 << 20))
			.expectErrorSatisfies((ex) -> assertCode(ex, ErrorCode.BAD_REQUEST))
			.verify(TIMEOUT);
		assertThat(this.store.list().collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	void shouldListEveryReleaseAndFindOnlyExactVersions() {
		put("1.0.0", random(10, 8), 1 << 20);
		put("1.0.0-rc.1", random(10, 9), 1 << 20);
		put("1.0.0+build.5", random(10, 10), 1 << 20);
		assertThat(this.store.list().map((release) -> release.version().text()).collectList().block(TIMEOUT))
			.containsExactlyInAnyOrder("1.0.0", "1.0.0-rc.1", "1.0.0+build.5");
		assertThat(this.store.find(SemVer.parse("1.0.1")).blockOptional(TIMEOUT)).isEmpty();
	}

	@Test
	void shouldShowAStagedUploadToNoReaderUntilItIsCommitted() throws Exception {
		byte[] bytes = random(3 * CHUNK + 5, 12);
		ReleaseStore.Upload upload = this.store.stage(flux(bytes), 1 << 20).block(TIMEOUT);
		assertThat(upload.sha256()).isEqualTo(sha256(bytes));
		assertThat(upload.size()).isEqualTo(bytes.length);
		assertThat(this.store.find(SemVer.parse("6.0.0")).blockOptional(TIMEOUT)).isEmpty();
		assertThat(this.store.list().collectList().block(TIMEOUT)).isEmpty();
		ReleaseStore.Stored stored = upload.commit(SemVer.parse("6.0.0")).block(TIMEOUT);
		assertThat(stored.created()).isTrue();
		assertThat(read(this.store.find(SemVer.parse("6.0.0")).block(TIMEOUT), 0, bytes.length)).isEqualTo(bytes);
		// discarding after the commit changes nothing; a second commit is refused
		upload.discard().block(TIMEOUT);
		assertThat(read(stored.release(), 0, bytes.length)).isEqualTo(bytes);
		StepVerifier.create(upload.commit(SemVer.parse("6.0.1")))
			.expectError(IllegalStateException.class)
			.verify(TIMEOUT);
		assertThat(leftovers()).isZero();
	}

	@Test
	void shouldKeepNothingOfADiscardedUpload() throws Exception {
		ReleaseStore.Upload upload = this.store.stage(flux(random(3 * CHUNK, 13)), 1 << 20).block(TIMEOUT);
		upload.discard().block(TIMEOUT);
		assertThat(leftovers()).isZero();
		StepVerifier.create(upload.commit(SemVer.parse("6.1.0")))
			.expectError(IllegalStateException.class)
			.verify(TIMEOUT);
		assertThat(this.store.find(SemVer.parse("6.1.0")).blockOptional(TIMEOUT)).isEmpty();
		// the version is still free for other bytes
		assertThat(put("6.1.0", random(100, 14), 1 << 20).created()).isTrue();
	}

	@Test
	void shouldKeepNothingOfAnUploadCancelledWhileStaging() throws Exception {
		AtomicInteger taken = new AtomicInteger();
		Flux<DataBuffer> neverEnding = flux(random(40 * CHUNK, 15)).doOnNext((buffer) -> taken.incrementAndGet())
			.concatWith(Flux.never());
		Disposable upload = this.store.stage(neverEnding, 1 << 20).subscribe();
		await().atMost(TIMEOUT).until(() -> taken.get() > 10 && leftovers() > 0);
		// the client goes away with bytes staged
		upload.dispose();
		await().atMost(TIMEOUT).until(() -> leftovers() == 0);
		assertThat(this.store.list().collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	void shouldReleaseEveryBufferItIsGiven() {
		byte[] bytes = random(2 * CHUNK, 11);
		List<DataBuffer> given = new ArrayList<>();
		Flux<DataBuffer> content = flux(bytes).doOnNext(given::add);
		put("5.0.0", content, 1 << 20);
		assertThat(given).isNotEmpty();
		// Released buffers are drained: nothing is left readable.
		assertThat(given).allSatisfy((buffer) -> assertThat(buffer.readableByteCount()).isZero());
	}

	ReleaseStore.Stored put(String version, byte[] bytes, long maxSize) {
		return put(version, flux(bytes), maxSize);
	}

	ReleaseStore.Stored put(String version, Flux<DataBuffer> content, long maxSize) {
		return this.store.put(SemVer.parse(version), content, maxSize).block(TIMEOUT);
	}

	byte[] read(Release release, long offset, long length) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.store.read(release, offset, length).doOnNext((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			out.writeBytes(bytes);
		}).then().block(TIMEOUT);
		return out.toByteArray();
	}

	/** The bytes as buffers of uneven sizes, the way a network delivers them. */
	static Flux<DataBuffer> flux(byte[] bytes) {
		List<int[]> pieces = new ArrayList<>();
		int[] sizes = { 1, 700, 333, 4096, 17 };
		int offset = 0;
		for (int i = 0; offset < bytes.length; i++) {
			int size = Math.min(sizes[i % sizes.length], bytes.length - offset);
			pieces.add(new int[] { offset, size });
			offset += size;
		}
		return Flux.fromIterable(pieces)
			.map((piece) -> DefaultDataBufferFactory.sharedInstance
				.wrap(java.util.Arrays.copyOfRange(bytes, piece[0], piece[0] + piece[1])));
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	private static void assertCode(Throwable ex, ErrorCode code) {
		assertThat(ex).isInstanceOf(ContractViolation.class);
		assertThat(((ContractViolation) ex).code()).isEqualTo(code);
	}

}
