package dev.agenthub.integration.shim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled shim becomes the first release of an empty registry, and only then.
 */
class BundledShimTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	ReleaseStore store;

	Path shim;

	byte[] bytes;

	@BeforeEach
	void setUp() throws Exception {
		this.store = new DirectoryReleaseStore(this.dir.resolve("releases"), 4096);
		this.bytes = new byte[100_000];
		new Random(7).nextBytes(this.bytes);
		this.shim = this.dir.resolve("chromium");
		Files.write(this.shim, this.bytes);
		Files.writeString(this.dir.resolve("chromium.version"), "0.1.0-SNAPSHOT\n");
	}

	BundledShim bundled(boolean enabled, String location, String version) {
		return new BundledShim(new BundledShimProperties(enabled, location, version), this.store,
				new DefaultResourceLoader(), 1 << 20);
	}

	@Test
	void shouldPublishTheBundledShimAsTheFirstReleaseUnderTheBuildsVersion() throws Exception {
		Release release = bundled(true, "file:" + this.shim, "").publishIfEmpty().block(WAIT);
		assertThat(release.version().toString()).isEqualTo("0.1.0");
		assertThat(release.sha256())
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(this.bytes)));
		assertThat(release.size()).isEqualTo(this.bytes.length);
		assertThat(new Releases(this.store).latest().block(WAIT)).isEqualTo(release);
		// a second start finds the registry populated
		assertThat(bundled(true, "file:" + this.shim, "").publishIfEmpty().blockOptional(WAIT)).isEmpty();
		assertThat(this.store.list().count().block(WAIT)).isOne();
	}

	@Test
	void shouldLeaveARegistryThatHasReleasesAlone() {
		this.store
			.put(SemVer.parse("2.0.0"), Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(new byte[] { 1, 2 })),
					1024)
			.block(WAIT);
		assertThat(bundled(true, "file:" + this.shim, "").publishIfEmpty().blockOptional(WAIT)).isEmpty();
		assertThat(this.store.list().map((release) -> release.version().toString()).collectList().block(WAIT))
			.containsExactly("2.0.0");
	}

	@Test
	void shouldUseAConfiguredVersion() {
		Release release = bundled(true, "file:" + this.shim, "3.4.5").publishIfEmpty().block(WAIT);
		assertThat(release.version().toString()).isEqualTo("3.4.5");
	}

	@Test
	void shouldDoNothingWithoutABundledShimOrWhenDisabled() {
		assertThat(bundled(true, "file:" + this.dir.resolve("missing"), "").publishIfEmpty().blockOptional(WAIT))
			.isEmpty();
		assertThat(bundled(false, "file:" + this.shim, "").publishIfEmpty().blockOptional(WAIT)).isEmpty();
		assertThat(this.store.list().count().block(WAIT)).isZero();
	}

}
