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
 * visible (to {@link #find}, {@link #list}) only when a staged {@link Upload} is
 * committed, so an upload that fails, is cancelled or is discarded leaves nothing behind
 * — neither a release nor its staged bytes.
 */
public interface ReleaseStore {

	/**
	 * Streams the bytes into storage no reader sees, computing their SHA-256 and size.
	 * The store releases every buffer it is given. An upload that fails or is cancelled
	 * while staging removes what it staged; a staged one must then be
	 * {@link Upload#commit committed} or {@link Upload#discard discarded}.
	 * @param content the bytes
	 * @param maxSize the most bytes accepted
	 * @return the staged upload; errors with a
	 * {@link dev.agenthub.contracts.error.ContractViolation} of code {@code too_large}
	 * past {@code maxSize} and {@code bad_request} for no bytes at all
	 */
	Mono<Upload> stage(Flux<DataBuffer> content, long maxSize);

	/**
	 * Stages the bytes and commits them as {@code version} at once.
	 * @param version the version
	 * @param content the bytes
	 * @param maxSize the most bytes accepted
	 * @return as {@link #stage} and {@link Upload#commit}
	 */
	default Mono<Stored> put(SemVer version, Flux<DataBuffer> content, long maxSize) {
		return Mono.usingWhen(stage(content, maxSize), (upload) -> upload.commit(version), Upload::discard,
				(upload, ex) -> upload.discard(), Upload::discard);
	}

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
	 * Bytes staged by {@link #stage}, not yet a release. Exactly one of {@link #commit}
	 * and {@link #discard} takes effect; the other is then refused ({@code commit}) or
	 * does nothing ({@code discard}), so {@code discard} is safe in every cleanup path.
	 */
	interface Upload {

		/** The SHA-256 of the staged bytes, lowercase hex. */
		String sha256();

		/** Their size in bytes. */
		long size();

		/**
		 * Makes the bytes the release {@code version}. Once started it runs to its end
		 * even if its subscriber cancels (a half-done commit could otherwise leave a
		 * release without its bytes). The staged bytes are removed unless they became the
		 * release.
		 * @param version the version
		 * @return the release and whether it was created now; errors with a
		 * {@link dev.agenthub.contracts.error.ContractViolation} of code {@code conflict}
		 * when the version exists with other bytes
		 */
		Mono<Stored> commit(SemVer version);

		/** Removes the staged bytes, unless a commit has started. */
		Mono<Void> discard();

	}

	/**
	 * The outcome of {@link Upload#commit}.
	 *
	 * @param release the stored release
	 * @param created {@code true} when this call created it, {@code false} when the same
	 * bytes were already stored under the version
	 */
	record Stored(Release release, boolean created) {

	}

}
