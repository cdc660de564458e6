package dev.agenthub.agent.upload;

import dev.agenthub.agent.upload.UploadService.UploadRequest;
import dev.agenthub.agent.upload.UploadService.Uploaded;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/workspaces/{id}/files?path=…&mode=0600&sha256=…} (whoever may see the
 * workspace): the body — raw, or the first file part of a {@code multipart/form-data}
 * body — is written to {@code path} in the workspace's container by its agent, with
 * {@code mode}; {@code sha256} (optional) is checked by the agent against what it wrote.
 * Answers {@code 201 {taskId, workspaceId, path, size, sha256, mode}} once the file is in
 * place; progress and the result are also events on {@code task:{taskId}}.
 */
@RestController
class UploadController {

	private final UploadService uploads;

	UploadController(UploadService uploads) {
		this.uploads = uploads;
	}

	@PostMapping("/api/workspaces/{workspaceId}/files")
	Mono<ResponseEntity<Uploaded>> upload(@PathVariable String workspaceId, @RequestParam String path,
			@RequestParam(defaultValue = "0600") String mode, @RequestParam(required = false) String sha256,
			ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		long declared = request.getHeaders().getContentLength();
		if (declared > this.uploads.properties().maxSize().toBytes()) {
			// before reading a byte: the client learns at once
			return Mono.error(new ContractViolation(ErrorCode.TOO_LARGE, "files larger than "
					+ this.uploads.properties().maxSize() + " are not accepted (hub.upload.max-size)"));
		}
		boolean multipart = MediaType.MULTIPART_FORM_DATA.isCompatibleWith(request.getHeaders().getContentType());
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
			// a multipart body's length is the form's, not the file's
			UploadRequest upload = new UploadRequest(workspaceId, path, mode, sha256, multipart ? -1 : declared,
					principal.subject());
			return this.uploads.upload(upload, multipart ? filePart(exchange) : request.getBody());
		}).map((uploaded) -> ResponseEntity.status(HttpStatus.CREATED).body(uploaded));
	}

	private static Flux<DataBuffer> filePart(ServerWebExchange exchange) {
		return exchange.getMultipartData()
			.flatMapMany((parts) -> parts.values()
				.stream()
				.flatMap((list) -> list.stream())
				.filter((part) -> part instanceof FilePart)
				.findFirst()
				.map(Part::content)
				.orElseGet(() -> Flux.error(ContractViolation.badRequest("the multipart body has no file part"))));
	}

}
