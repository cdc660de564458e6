package dev.agenthub.integration.shim;

import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where CDP shim releases live: database chunks ({@link DatabaseReleaseStore}) or a
 * directory ({@link DirectoryReleaseStore}). Both are held to the same contract suite.
 * <p>
 * Guarantees: releases are immutable, a version maps to one byte sequence forever; bytes
 * are streamed in both directions and never held whole in memory; a release becomes
 * visible (to {@link #find}, {@link #list}) only once all its bytes are stored, so a
 * failed or cancelled upload leaves nothing behind that readers can see.
 */
public interface ReleaseStore {

	/**
	 * Stores the bytes as {@code version}, computing their SHA-256 while streaming. The
	 * store releases every buffer it is given.
	 * @param version the version
	 * @param content the bytes
	 * @param maxSize the most bytes accepted
	 * @return the release and whether it was created now; errors with a
	 * {@link dev.agenthub.contracts.error.ContractViolation} of code {@code conflict}
	 * when the version exists with other bytes, {@code too_large} past {@code maxSize}
	 * and {@code bad_request} for no bytes at all
	 */
	Mono<Stored> put(SemVer version, Flux<DataBuffer> content, long maxSize);

	/** Every release, in no particular order. */
	Flux<Release> list();

	/** The release of exactly this version, or empty. */
	Mono<Release> find(SemVer version);

	/**
	 * Streams {@code length} bytes of the release starting at {@code offset}, in bounded
	 * pieces. The caller releases the buffers (the web layer does).
	 */
	Flux<DataBuffer> read(Release release, long offset, long length);

	/**
	 * The outcome of {@link #put}.
	 *
	 * @param release the stored release
	 * @param created {@code true} when this call created it, {@code false} when the same
	 * bytes were already stored under the version
	 */
	record Stored(Release release, boolean created) {

	}

}
