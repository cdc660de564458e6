package dev.agenthub.integration.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.agenthub.contracts.error.ContractViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Mono;

/**
 * Publishes the shim from the hub's own build as the first release when the registry is
 * empty. Several replicas starting at once may all try: the store accepts the same bytes
 * under the same version again ({@code created=false}), so they agree.
 */
public class BundledShim {

	private static final Logger logger = LoggerFactory.getLogger(BundledShim.class);

	private static final int READ_CHUNK = 64 * 1024;

	private final BundledShimProperties properties;

	private final ReleaseStore store;

	private final ResourceLoader resources;

	private final long maxSize;

	BundledShim(BundledShimProperties properties, ReleaseStore store, ResourceLoader resources, long maxSize) {
		this.properties = properties;
		this.store = store;
		this.resources = resources;
		this.maxSize = maxSize;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onReady() {
		// In the background: startup does not wait for a few MB to reach the store. A
		// failure only leaves the registry empty (uploads still work), so it is logged,
		// not fatal.
		publishIfEmpty().subscribe(null,
				(ex) -> logger.warn("Could not publish the bundled CDP shim: {}", ex.toString()));
	}

	/**
	 * Publishes the bundled shim unless the registry holds a release already or no shim
	 * is bundled.
	 * @return the stored release, or empty when nothing was published
	 */
	public Mono<Release> publishIfEmpty() {
		if (!this.properties.enabled()) {
			return Mono.empty();
		}
		Resource shim = this.resources.getResource(this.properties.location());
		if (!shim.exists()) {
			logger.info("No bundled CDP shim at {} (build the launcher to include cdp-shim/target/chromium)",
					this.properties.location());
			return Mono.empty();
		}
		return this.store.list().hasElements().flatMap((any) -> {
			if (any) {
				return Mono.empty();
			}
			SemVer version = version();
			return this.store
				.put(version, DataBufferUtils.read(shim, DefaultDataBufferFactory.sharedInstance, READ_CHUNK),
						this.maxSize)
				.map(ReleaseStore.Stored::release)
				.doOnNext((release) -> logger.info("Published the bundled CDP shim as release {} (sha256 {}, {} bytes)",
						release.version(), release.sha256(), release.size()));
		});
	}

	SemVer version() {
		String text = this.properties.version();
		if (text == null || text.isBlank()) {
			Resource file = this.resources.getResource(this.properties.location() + ".version");
			try {
				text = file.exists() ? file.getContentAsString(StandardCharsets.UTF_8).trim() : "";
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read " + file, ex);
			}
		}
		if (text.endsWith("-SNAPSHOT")) {
			text = text.substring(0, text.length() - "-SNAPSHOT".length());
		}
		if (text.isEmpty()) {
			throw ContractViolation.badRequest("the bundled CDP shim has no version: set hub.shim.bundled.version");
		}
		return SemVer.parse(text);
	}

}
