package dev.agenthub.integration.shim;

import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

/**
 * What both stores' staged uploads share: exactly one of commit and discard takes effect,
 * and a commit, once started, is not stopped half-way by its subscriber going away.
 */
abstract class StagedUpload implements ReleaseStore.Upload {

	private enum State {

		STAGED, COMMITTING, DONE

	}

	private final AtomicReference<State> state = new AtomicReference<>(State.STAGED);

	private final String sha256;

	private final long size;

	StagedUpload(String sha256, long size) {
		this.sha256 = sha256;
		this.size = size;
	}

	@Override
	public final String sha256() {
		return this.sha256;
	}

	@Override
	public final long size() {
		return this.size;
	}

	@Override
	public final Mono<ReleaseStore.Stored> commit(SemVer version) {
		return Mono.defer(() -> {
			if (!this.state.compareAndSet(State.STAGED, State.COMMITTING)) {
				return Mono.error(new IllegalStateException("the upload was committed or discarded already"));
			}
			Mono<ReleaseStore.Stored> commit = store(version).doFinally((signal) -> this.state.set(State.DONE));
			// Not cancelled with its subscriber: a commit stopped between its steps could
			// leave a release row whose chunks nobody removes, or chunks of no release.
			return Mono.fromFuture(commit.toFuture(), true);
		});
	}

	@Override
	public final Mono<Void> discard() {
		// Runs to its end even when its subscriber goes away (a request cancelled as it
		// fails): nobody else would remove the bytes.
		return Mono.defer(() -> this.state.compareAndSet(State.STAGED, State.DONE)
				? Mono.fromFuture(remove().toFuture(), true) : Mono.empty());
	}

	/**
	 * Commits the staged bytes as {@code version}; removes them itself unless they became
	 * the release.
	 */
	abstract Mono<ReleaseStore.Stored> store(SemVer version);

	/** Removes the staged bytes. */
	abstract Mono<Void> remove();

}
