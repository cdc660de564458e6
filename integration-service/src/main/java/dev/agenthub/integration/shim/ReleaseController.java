package dev.agenthub.integration.shim;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The release registry: upload ({@code POST /api/cdp-shim/releases}, admin or service),
 * list, latest and one release's metadata.
 */
@RestController
class ReleaseController {

	private static final Logger logger = LoggerFactory.getLogger(ReleaseController.class);

	/** Room for multipart boundaries and part headers on top of the file itself. */
	private static final long MULTIPART_OVERHEAD = 64 * 1024;

	private final ReleaseStore store;

	private final Releases releases;

	private final ShimProperties properties;

	private final ShimMetrics metrics;

	ReleaseController(ReleaseStore store, ShimProperties properties, ShimMetrics metrics) {
		this.store = store;
		this.releases = new Releases(store);
		this.properties = properties;
		this.metrics = metrics;
	}

	@PostMapping(path = "/api/cdp-shim/releases", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	Mono<ResponseEntity<ReleaseView>> upload(@RequestBody Flux<PartEvent> parts,
			@RequestParam(name = "version", required = false) String queryVersion, ServerHttpRequest request) {
		long maxSize = this.properties.maxSize().toBytes();
		return CurrentPrincipal.publisher().flatMap((principal) -> {
			long declared = request.getHeaders().getContentLength();
			if (declared > maxSize + MULTIPART_OVERHEAD) {
				// Refuse before reading a byte: the declared body cannot fit.
				return Mono.error(new ContractViolation(ErrorCode.TOO_LARGE, "the upload of " + declared
						+ " bytes is larger than the limit of " + maxSize + " bytes (hub.shim.max-size)"));
			}
			return receive(parts, queryVersion, maxSize);
		}).doOnError(this::countFailure).map((stored) -> {
			this.metrics.upload(stored.created() ? "created" : "identical");
			ReleaseView view = ReleaseView.of(stored.release());
			return stored.created()
					? ResponseEntity.created(URI.create("/api/cdp-shim/releases/" + view.version())).body(view)
					: ResponseEntity.ok(view);
		});
	}

	@GetMapping("/api/cdp-shim/releases")
	Mono<ReleaseList> list() {
		return this.releases.ordered()
			.map(ReleaseView::of)
			.collectList()
			.zipWith(this.releases.latest().map((release) -> release.version().text()).defaultIfEmpty(""))
			.map((all) -> new ReleaseList(all.getT2().isEmpty() ? null : all.getT2(), all.getT1()));
	}

	@GetMapping("/api/cdp-shim/releases/latest")
	Mono<ReleaseView> latest() {
		return this.releases.requireLatest().map(ReleaseView::of);
	}

	@GetMapping("/api/cdp-shim/releases/{version}")
	Mono<ReleaseView> one(@PathVariable String version) {
		return this.releases.require(version).map(ReleaseView::of);
	}

	private void countFailure(Throwable failure) {
		if (failure instanceof ContractViolation violation) {
			this.metrics.upload(switch (violation.code()) {
				case CONFLICT -> "conflict";
				case TOO_LARGE -> "too_large";
				case UNAUTHORIZED, FORBIDDEN -> "forbidden";
				default -> "rejected";
			});
		}
		else {
			this.metrics.upload("failed");
		}
	}

	/**
	 * Streams the file part into the store as a staged upload and commits it only once
	 * the form has ended with exactly one file: a refused or abandoned request leaves
	 * nothing (before, the file was committed when its part ended, so a second file or a
	 * client gone before the end left the release behind, immutable).
	 */
	private Mono<ReleaseStore.Stored> receive(Flux<PartEvent> parts, String queryVersion, long maxSize) {
		AtomicReference<String> version = new AtomicReference<>(queryVersion);
		AtomicReference<SemVer> target = new AtomicReference<>();
		Staging staging = new Staging();
		return parts.windowUntil(PartEvent::isLast).concatMap((part) -> part.switchOnFirst((signal, events) -> {
			if (!signal.hasValue()) {
				return events.then();
			}
			PartEvent first = signal.get();
			if (first instanceof FormPartEvent form && "version".equals(form.name())) {
				version.set(form.value());
				return events.then();
			}
			if (first instanceof FilePartEvent && "file".equals(first.name())) {
				if (target.get() != null) {
					return Mono.error(ContractViolation.badRequest("send exactly one 'file' part"));
				}
				if (version.get() == null) {
					return Mono.error(ContractViolation
						.badRequest("the 'version' field must come before the 'file' part (or pass ?version=)"));
				}
				return Mono.defer(() -> {
					target.set(SemVer.parse(version.get()));
					return this.store.stage(events.map(PartEvent::content), maxSize);
				}).doOnNext(staging::staged).then();
			}
			return events.doOnNext((event) -> DataBufferUtils.release(event.content())).then();
		}), 1).then(Mono.defer(() -> {
			ReleaseStore.Upload upload = staging.take();
			if (upload == null) {
				return Mono.error(ContractViolation
					.badRequest("a multipart form with a 'version' field and a 'file' part is required"));
			}
			return upload.commit(target.get());
		}))
			.onErrorResume((ex) -> discard(staging.abandon()).then(Mono.error(ex)))
			.doOnCancel(() -> discard(staging.abandon()).subscribe());
	}

	private static Mono<Void> discard(ReleaseStore.Upload upload) {
		if (upload == null) {
			return Mono.empty();
		}
		// The request's own failure is what the client is told; staged bytes are
		// invisible to readers, so one that could not be removed is only logged.
		return upload.discard()
			.onErrorResume((ex) -> Mono
				.fromRunnable(() -> logger.warn("Could not discard a staged CDP shim upload: {}", ex.toString())));
	}

	/**
	 * The request's staged upload. A request cancelled (on the connection's thread) while
	 * its upload is being staged (on the store's) may see the upload only after it gave
	 * up: that late upload is discarded at once.
	 */
	private static final class Staging {

		private ReleaseStore.Upload upload;

		private boolean abandoned;

		void staged(ReleaseStore.Upload staged) {
			synchronized (this) {
				if (!this.abandoned) {
					this.upload = staged;
					return;
				}
			}
			discard(staged).subscribe();
		}

		/** The upload to commit, or {@code null} when none was staged. */
		synchronized ReleaseStore.Upload take() {
			ReleaseStore.Upload staged = this.upload;
			this.upload = null;
			return staged;
		}

		/** The upload to discard, if any; one staged later is discarded on arrival. */
		synchronized ReleaseStore.Upload abandon() {
			this.abandoned = true;
			return take();
		}

	}

	/**
	 * The release list.
	 *
	 * @param latest the latest non-pre-release version, {@code null} when there is none
	 * @param releases every release, lowest SemVer precedence first
	 */
	record ReleaseList(String latest, List<ReleaseView> releases) {

	}

}
