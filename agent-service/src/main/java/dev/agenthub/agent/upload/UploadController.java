package dev.agenthub.agent.upload;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.agenthub.agent.web.Access;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/workspaces/{id}/files?path=…&mode=0600&sha256=…} (whoever may see the
 * workspace): the body — raw, or the first file part of a {@code multipart/form-data}
 * body — is written to {@code path} in the workspace's container by its agent, with
 * {@code mode}; {@code sha256} (optional) is checked by the agent against what it wrote.
 * Answers {@code 201 {taskId, workspaceId, path, size, sha256, mode}} once the file is in
 * place; progress and the result are also events on {@code task:{taskId}}. Either body is
 * read under a deadline ({@link BodyPace}): a client that stops sending it, or trickles
 * it, loses the upload.
 */
@RestController
class UploadController {

	/** Parts of a multipart body read at most: the file and a few form fields. */
	static final int MAX_PARTS = 16;

	private final UploadService uploads;

	UploadController(UploadService uploads) {
		this.uploads = uploads;
	}

	@PostMapping("/api/workspaces/{workspaceId}/files")
	Mono<ResponseEntity<Uploaded>> upload(@PathVariable String workspaceId, @RequestParam String path,
			@RequestParam(defaultValue = "0600") String mode, @RequestParam(required = false) String sha256,
			ServerHttpRequest request) {
		long declared = request.getHeaders().getContentLength();
		return upload(workspaceId, path, mode, sha256, declared, declared, onBehalfOf(request),
				BodyPace.watch(request.getBody(), DataBuffer::readableByteCount, this.uploads.properties()));
	}

	/**
	 * A {@code multipart/form-data} body, read as it arrives: the first file part is
	 * streamed to the agent piece by piece, never collected into memory or a temporary
	 * file first (so the size limit holds for a form sent without a length); the other
	 * parts are dropped as they pass, and at most {@value #MAX_PARTS} parts are read.
	 */
	@PostMapping(path = "/api/workspaces/{workspaceId}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	Mono<ResponseEntity<Uploaded>> uploadForm(@PathVariable String workspaceId, @RequestParam String path,
			@RequestParam(defaultValue = "0600") String mode, @RequestParam(required = false) String sha256,
			@RequestBody Flux<PartEvent> parts, ServerHttpRequest request) {
		// a multipart body's length is the form's, not the file's; every part's bytes
		// count for the body's pace, not only the file's
		Flux<PartEvent> paced = BodyPace.watch(parts, (event) -> event.content().readableByteCount(),
				this.uploads.properties());
		return upload(workspaceId, path, mode, sha256, request.getHeaders().getContentLength(), -1, onBehalfOf(request),
				filePart(paced, this.uploads.properties().maxSize().toBytes()));
	}

	/** The user a service (the console's gateway) acts for, or {@code null}. */
	private static String onBehalfOf(ServerHttpRequest request) {
		return request.getHeaders().getFirst(Access.ON_BEHALF_OF);
	}

	private Mono<ResponseEntity<Uploaded>> upload(String workspaceId, String path, String mode, String sha256,
			long declared, long size, String onBehalfOf, Flux<DataBuffer> body) {
		if (declared > this.uploads.properties().maxSize().toBytes()) {
			// before reading a byte: the client learns at once
			return Mono.error(new ContractViolation(ErrorCode.TOO_LARGE, "files larger than "
					+ this.uploads.properties().maxSize() + " are not accepted (hub.upload.max-size)"));
		}
		return CurrentPrincipal.get().flatMap((principal) -> {
			if (!principal.maySeeWorkspace(workspaceId)) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						principal.subject() + " may not see workspace " + workspaceId));
			}
			// uploading drives the workspace, as running a command does (the exec claim)
			if (!principal.mayExecIn(workspaceId)) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						principal.subject() + " may watch but not upload files in workspace " + workspaceId));
			}
			// who asked, as for commands: a service acting for a user records both
			UploadRequest upload = new UploadRequest(workspaceId, path, mode, sha256, size,
					Access.requester(principal, onBehalfOf));
			return this.uploads.upload(upload, body);
		}).map((uploaded) -> ResponseEntity.status(HttpStatus.CREATED).body(uploaded));
	}

	/**
	 * The content of the form's first file part, as it arrives. Every part's content
	 * counts against {@code maxSize}: parts before or after the file cannot make the
	 * server read more than a file could be.
	 */
	static Flux<DataBuffer> filePart(Flux<PartEvent> parts, long maxSize) {
		AtomicBoolean found = new AtomicBoolean();
		AtomicLong read = new AtomicLong();
		Consumer<PartEvent> count = (event) -> {
			if (read.addAndGet(event.content().readableByteCount()) > maxSize) {
				DataBufferUtils.release(event.content());
				throw new ContractViolation(ErrorCode.TOO_LARGE,
						"files larger than " + maxSize + " bytes are not accepted (hub.upload.max-size)");
			}
		};
		Flux<DataBuffer> content = parts.windowUntil(PartEvent::isLast).index().concatMap((part) -> {
			Flux<PartEvent> events = part.getT2().doOnNext(count);
			if (part.getT1() >= MAX_PARTS) {
				return events.doOnNext((event) -> DataBufferUtils.release(event.content()))
					.then(Mono.error(ContractViolation
						.badRequest("a multipart body of more than " + MAX_PARTS + " parts is not accepted")));
			}
			return events.switchOnFirst((first, all) -> {
				if (first.get() instanceof FilePartEvent && found.compareAndSet(false, true)) {
					return all.map(PartEvent::content);
				}
				return all.doOnNext((event) -> DataBufferUtils.release(event.content()))
					.thenMany(Flux.<DataBuffer>empty());
			});
		}, 1);
		return content.concatWith(Mono.defer(() -> found.get() ? Mono.empty()
				: Mono.error(ContractViolation.badRequest("the multipart body has no file part"))));
	}

}
