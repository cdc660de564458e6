package dev.agenthub.integration.shim;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Downloads of the shim executable ({@code GET}/{@code HEAD /api/cdp-shim/bundle}), made
 * for {@code curl -fSL -o /usr/local/bin/chromium}: a strong {@code ETag} (the SHA-256),
 * digest headers, conditional requests ({@code If-None-Match} answers 304) and single
 * byte ranges (206, 416; several ranges are answered with the whole file, as RFC 9110
 * allows).
 */
@RestController
class BundleController {

	static final String VERSION_HEADER = "X-CDP-Shim-Version";

	private final ReleaseStore store;

	private final Releases releases;

	private final ShimMetrics metrics;

	private final Downloads downloads;

	BundleController(ReleaseStore store, ShimMetrics metrics, Downloads downloads) {
		this.store = store;
		this.releases = new Releases(store);
		this.metrics = metrics;
		this.downloads = downloads;
	}

	@RequestMapping(path = "/api/cdp-shim/bundle", method = { RequestMethod.GET, RequestMethod.HEAD })
	Mono<ResponseEntity<Flux<DataBuffer>>> bundle(@RequestParam(name = "version", required = false) String version,
			ServerHttpRequest request, ServerHttpResponse response) {
		boolean pinned = version != null && !version.isBlank();
		return this.releases.require(version)
			.map((release) -> respond(release, pinned, request, response))
			.doOnNext((entity) -> this.metrics.download(entity.getStatusCode().value()));
	}

	private ResponseEntity<Flux<DataBuffer>> respond(Release release, boolean pinned, ServerHttpRequest request,
			ServerHttpResponse response) {
		String etag = "\"" + release.sha256() + "\"";
		HttpHeaders headers = new HttpHeaders();
		headers.setETag(etag);
		String digest = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(release.sha256()));
		headers.set("Digest", "sha-256=" + digest);
		headers.set("Repr-Digest", "sha-256=:" + digest + ":");
		headers.set(VERSION_HEADER, release.version().text());
		headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		// A pinned version never changes its bytes; "latest" must be revalidated.
		headers.setCacheControl(
				pinned ? CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable() : CacheControl.noCache());
		if (matches(request.getHeaders().getFirst(HttpHeaders.IF_NONE_MATCH), etag)) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).headers(headers).build();
		}
		headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
		headers.set(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=chromium");
		boolean head = HttpMethod.HEAD.equals(request.getMethod());
		long size = release.size();
		HttpRange range = range(request, etag);
		if (range == null) {
			headers.setContentLength(size);
			return ResponseEntity.ok().headers(headers).body(head ? Flux.empty() : read(release, 0, size, response));
		}
		long start;
		long end;
		try {
			start = range.getRangeStart(size);
			end = range.getRangeEnd(size);
		}
		catch (IllegalArgumentException ex) {
			start = size;
			end = size - 1;
		}
		if (start >= size || end < start) {
			headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
			headers.setContentLength(0);
			return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE).headers(headers).build();
		}
		long length = end - start + 1;
		headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
		headers.setContentLength(length);
		return ResponseEntity.status(HttpStatus.PARTIAL_CONTENT)
			.headers(headers)
			.body(head ? Flux.empty() : read(release, start, length, response));
	}

	private Flux<DataBuffer> read(Release release, long offset, long length, ServerHttpResponse response) {
		return this.downloads.paced(this.store.read(release, offset, length), response);
	}

	/** The one range to serve, or {@code null} for the whole representation. */
	private static HttpRange range(ServerHttpRequest request, String etag) {
		String header = request.getHeaders().getFirst(HttpHeaders.RANGE);
		if (header == null) {
			return null;
		}
		String ifRange = request.getHeaders().getFirst(HttpHeaders.IF_RANGE);
		if (ifRange != null && !ifRange.trim().equals(etag)) {
			// The client's partial copy is of other bytes: send all of them.
			return null;
		}
		try {
			List<HttpRange> ranges = HttpRange.parseRanges(header);
			return (ranges.size() == 1) ? ranges.get(0) : null;
		}
		catch (IllegalArgumentException ex) {
			// An unparsable Range header is ignored (RFC 9110 §14.2).
			return null;
		}
	}

	/** Weak comparison of If-None-Match against our (strong) ETag. */
	private static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		for (String candidate : ifNoneMatch.split(",")) {
			String tag = candidate.trim();
			if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
				return true;
			}
		}
		return false;
	}

}
