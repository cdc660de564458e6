package dev.agenthub.integration.shim;

import java.util.Comparator;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Queries over a {@link ReleaseStore} that both the registry and the download need. */
public final class Releases {

	private final ReleaseStore store;

	public Releases(ReleaseStore store) {
		this.store = store;
	}

	/** Every release, lowest SemVer precedence first. */
	Flux<Release> ordered() {
		return this.store.list().sort(Comparator.comparing(Release::version));
	}

	/** The highest release that is not a pre-release, or empty. */
	public Mono<Release> latest() {
		return this.store.list()
			.filter((release) -> !release.version().isPreRelease())
			.reduce((a, b) -> (a.version().compareTo(b.version()) >= 0) ? a : b);
	}

	/** The latest release, or a {@code not_found} violation. */
	Mono<Release> requireLatest() {
		return latest().switchIfEmpty(Mono
			.error(new ContractViolation(ErrorCode.NOT_FOUND, "no CDP shim release (other than pre-releases) yet")));
	}

	/**
	 * The named release (or the latest when {@code version} is null), else
	 * {@code not_found}.
	 */
	Mono<Release> require(String version) {
		if (version == null || version.isBlank()) {
			return requireLatest();
		}
		return Mono.defer(() -> this.store.find(SemVer.parse(version)))
			.switchIfEmpty(Mono
				.error(new ContractViolation(ErrorCode.NOT_FOUND, "no CDP shim release with version " + version)));
	}

}
