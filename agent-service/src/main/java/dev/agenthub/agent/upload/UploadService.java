package dev.agenthub.agent.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.agent.lease.Lease;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.routing.NodeMessage;
import dev.agenthub.agent.task.TaskRecord;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.TaskState;
import dev.agenthub.contracts.event.TaskStatus;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.support.limit.Shares;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a file to a workspace's agent: finds the node holding the agent, records the
 * upload as a task (so its {@code task:} channel has an owner), streams the body in
 * pieces with at most {@code window} unacknowledged, hashing as it goes, then asks the
 * agent to check size and SHA-256 and move the file into place. Progress
 * ({@code upload:progress}) and the result ({@code task:status}) are published on
 * {@code task:{uploadId}}. Any failure aborts the agent's side, which deletes its partial
 * file.
 */
public class UploadService {

	private static final Logger logger = LoggerFactory.getLogger(UploadService.class);

	/** Uploads this node sends at once, at most. */
	static final int MAX_PENDING = 64;

	/** A progress event every this many pieces. */
	static final int PROGRESS_EVERY = 16;

	private final UploadProperties properties;

	private final WorkspaceLeases leases;

	private final UploadBus bus;

	private final TaskStore tasks;

	private final Broker broker;

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/** Each workspace's share of the slots (taken before the lease is looked up). */
	private final Shares shares;

	UploadService(UploadProperties properties, WorkspaceLeases leases, UploadBus bus, TaskStore tasks, Broker broker) {
		this.properties = properties;
		this.leases = leases;
		this.bus = bus;
		this.tasks = tasks;
		this.broker = broker;
		this.shares = new Shares(properties.perWorkspace());
	}

	UploadProperties properties() {
		return this.properties;
	}

	/**
	 * Uploads a file.
	 * @param request what and where
	 * @param body the bytes (released here)
	 * @return the result once the agent moved the file into place; errors with
	 * {@code no_agent}, {@code bad_request} (refused path, bad mode), {@code conflict}
	 * (checksum mismatch), {@code too_large}, {@code unavailable} (disk full, timeouts)
	 */
	public Mono<Uploaded> upload(UploadRequest request, Flux<DataBuffer> body) {
		return Mono.defer(() -> {
			request.validate();
			if (request.size() > this.properties.maxSize().toBytes()) {
				throw tooLarge();
			}
			if (this.pending.size() >= MAX_PENDING) {
				throw new ContractViolation(ErrorCode.UNAVAILABLE, "too many uploads at once on this node; try again");
			}
			String workspaceId = request.workspaceId();
			if (!this.shares.take(workspaceId)) {
				throw new ContractViolation(ErrorCode.UNAVAILABLE,
						"workspace " + workspaceId + " has " + this.properties.perWorkspace()
								+ " uploads under way on this node already (hub.upload.per-workspace); try again");
			}
			return this.leases.current(workspaceId)
				.switchIfEmpty(Mono.error(() -> new ContractViolation(ErrorCode.NO_AGENT,
						"no agent is connected for workspace " + workspaceId
								+ "; start its sidecar agent (or wait until it reconnects) and try again")))
				.flatMap((lease) -> start(request, lease, body))
				.doFinally((signal) -> this.shares.give(workspaceId));
		}).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
	}

	private Mono<Uploaded> start(UploadRequest request, Lease lease, Flux<DataBuffer> body) {
		String uploadId = UUID.randomUUID().toString();
		Pending upload = new Pending(uploadId, request.workspaceId(), lease.nodeId());
		this.pending.put(uploadId, upload);
		TaskRecord task = new TaskRecord(uploadId, request.workspaceId(), "upload", List.of(request.path()), null,
				List.of(), null, request.requestedBy(), TaskState.RUNNING.wireName(), null, null, null, Instant.now(),
				Instant.now(), null);
		ObjectNode begin = HubJson.object();
		begin.put("uploadId", uploadId);
		begin.put("path", request.path());
		begin.put("mode", request.mode());
		begin.put("size", request.size());
		return this.tasks.insert(task)
			.then(send(upload, MessageTypes.UPLOAD_BEGIN, begin))
			.then(stream(upload, body))
			.flatMap((sent) -> finish(upload, request, sent))
			.flatMap((result) -> succeeded(upload, request, result))
			.onErrorResume((ex) -> failed(upload, translate(ex)))
			.doFinally((signal) -> this.pending.remove(uploadId));
	}

	/** Sends the pieces; completes with the size and SHA-256 of what was sent. */
	private Mono<Sent> stream(Pending upload, Flux<DataBuffer> body) {
		MessageDigest digest = sha256();
		AtomicLong seq = new AtomicLong();
		AtomicLong total = new AtomicLong();
		int chunk = (int) this.properties.chunkSize().toBytes();
		long max = this.properties.maxSize().toBytes();
		return body.concatMapIterable((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return pieces(bytes, chunk);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).concatMap((piece) -> {
			long n = seq.incrementAndGet();
			if (total.addAndGet(piece.length) > max) {
				return Mono.error(tooLarge());
			}
			digest.update(piece);
			ObjectNode data = HubJson.object();
			data.put("uploadId", upload.uploadId);
			data.put("seq", n);
			data.put("data", Base64.getEncoder().encodeToString(piece));
			Mono<Void> progress = (n % PROGRESS_EVERY == 0) ? progress(upload, total.get()) : Mono.empty();
			return window(upload, n).then(send(upload, MessageTypes.UPLOAD_CHUNK, data)).then(progress);
		}, 1).then(Mono.fromSupplier(() -> new Sent(total.get(), HexFormat.of().formatHex(digest.digest()))));
	}

	/** Waits until piece {@code n} may go: at most {@code window} unacknowledged. */
	private Mono<Void> window(Pending upload, long n) {
		JsonNode failed = upload.failed;
		if (failed != null) {
			return Mono.error(agentFailure(failed));
		}
		long needed = n - this.properties.window();
		if (needed <= upload.acked.get()) {
			return Mono.empty();
		}
		Mono<Void> acked = upload.acks.asFlux().filter((seq) -> seq >= needed).next().then();
		Mono<Void> failure = upload.result.asMono()
			.filter((result) -> !result.path("ok").asBoolean(false))
			.flatMap((result) -> Mono.error(agentFailure(result)));
		return Mono.firstWithSignal(acked, failure)
			.timeout(this.properties.ackTimeout(), Mono.error(() -> new ContractViolation(ErrorCode.UNAVAILABLE,
					"the agent did not acknowledge piece " + needed + " within " + this.properties.ackTimeout())));
	}

	private Mono<JsonNode> finish(Pending upload, UploadRequest request, Sent sent) {
		if (request.size() >= 0 && request.size() != sent.size()) {
			return Mono.error(ContractViolation.badRequest(
					"the body had " + sent.size() + " bytes, not the " + request.size() + " its length announced"));
		}
		ObjectNode end = HubJson.object();
		end.put("uploadId", upload.uploadId);
		end.put("size", sent.size());
		// the client's checksum when it gave one: the agent then checks end to end
		end.put("sha256", (request.sha256() != null) ? request.sha256().toLowerCase() : sent.sha256());
		return progress(upload, sent.size()).then(send(upload, MessageTypes.UPLOAD_END, end))
			.then(upload.result.asMono()
				.timeout(this.properties.ackTimeout(), Mono.error(() -> new ContractViolation(ErrorCode.UNAVAILABLE,
						"the agent did not report the result within " + this.properties.ackTimeout()))));
	}

	private Mono<Uploaded> succeeded(Pending upload, UploadRequest request, JsonNode result) {
		if (!result.path("ok").asBoolean(false)) {
			return Mono.error(agentFailure(result));
		}
		Uploaded uploaded = new Uploaded(upload.uploadId, request.workspaceId(), result.path("path").asString(),
				result.path("size").asLong(), result.path("sha256").asString(), request.mode());
		ObjectNode status = (ObjectNode) HubJson
			.tree(new TaskStatus(upload.uploadId, TaskState.COMPLETED.wireName(), 0, null));
		status.put("path", uploaded.path());
		status.put("size", uploaded.size());
		status.put("sha256", uploaded.sha256());
		return this.tasks.status(upload.uploadId, TaskState.COMPLETED.wireName(), 0, null, null, Instant.now())
			.then(publish(upload, EventType.TASK_STATUS.wireName(), status))
			.thenReturn(uploaded);
	}

	private Mono<Uploaded> failed(Pending upload, ContractViolation failure) {
		logger.info("Upload {} to workspace {} failed: {}", upload.uploadId, upload.workspaceId, failure.getMessage());
		ObjectNode abort = HubJson.object();
		abort.put("uploadId", upload.uploadId);
		JsonNode status = HubJson
			.tree(new TaskStatus(upload.uploadId, TaskState.FAILED.wireName(), null, failure.getMessage()));
		return send(upload, MessageTypes.UPLOAD_ABORT, abort).onErrorResume((ex) -> Mono.empty())
			.then(this.tasks.status(upload.uploadId, TaskState.FAILED.wireName(), null, failure.getMessage(), null,
					Instant.now()))
			.then(publish(upload, EventType.TASK_STATUS.wireName(), status))
			// The failure is the answer; a store or engine hiccup reporting it must not
			// replace it.
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.error(failure));
	}

	/** A reply from the agent's node: an acknowledgement or the result. */
	void onReply(JsonNode reply) {
		Pending upload = this.pending.get(reply.path("uploadId").asString(""));
		if (upload == null) {
			return;
		}
		if (MessageTypes.UPLOAD_ACK.equals(reply.path("type").asString())) {
			long seq = reply.path("seq").asLong(-1);
			upload.acked.accumulateAndGet(seq, Math::max);
			upload.acks.tryEmitNext(upload.acked.get());
		}
		else {
			if (!reply.path("ok").asBoolean(false)) {
				upload.failed = reply;
			}
			upload.result.tryEmitValue(reply);
		}
	}

	private Mono<Void> send(Pending upload, String type, ObjectNode message) {
		ObjectNode data = HubJson.object();
		data.put("origin", this.bus.nodeId());
		data.set("message", message);
		return this.bus.bus()
			.send(upload.nodeId, new NodeMessage(type, upload.workspaceId, null, data))
			.flatMap(
					(delivered) -> delivered ? Mono.<Void>empty() : Mono.error(new ContractViolation(ErrorCode.NO_AGENT,
							"the node of workspace " + upload.workspaceId + "'s agent did not answer")));
	}

	private Mono<Void> progress(Pending upload, long bytes) {
		ObjectNode data = HubJson.object();
		data.put("taskId", upload.uploadId);
		data.put("bytes", bytes);
		return publish(upload, "upload:progress", data);
	}

	private Mono<Void> publish(Pending upload, String type, JsonNode data) {
		return this.broker.publish(Channel.task(upload.uploadId).name(), type, data).then();
	}

	static ContractViolation agentFailure(JsonNode result) {
		String code = result.path("code").asString(MessageTypes.UPLOAD_FAILED);
		String message = code + ": " + result.path("error").asString("the agent could not write the file");
		return switch (code) {
			case MessageTypes.UPLOAD_REFUSED_PATH -> ContractViolation.badRequest(message);
			case MessageTypes.UPLOAD_CHECKSUM_MISMATCH -> new ContractViolation(ErrorCode.CONFLICT, message);
			case "no_agent" -> new ContractViolation(ErrorCode.NO_AGENT, message);
			default -> new ContractViolation(ErrorCode.UNAVAILABLE, message);
		};
	}

	private static ContractViolation translate(Throwable ex) {
		if (ex instanceof ContractViolation violation) {
			return violation;
		}
		if (ex instanceof TimeoutException) {
			return new ContractViolation(ErrorCode.UNAVAILABLE, "the upload timed out");
		}
		return new ContractViolation(ErrorCode.UNAVAILABLE, "the upload failed: " + ex.getMessage());
	}

	private ContractViolation tooLarge() {
		return new ContractViolation(ErrorCode.TOO_LARGE,
				"files larger than " + this.properties.maxSize() + " are not accepted (hub.upload.max-size)");
	}

	private static List<byte[]> pieces(byte[] bytes, int size) {
		if (bytes.length <= size) {
			return List.of(bytes);
		}
		List<byte[]> pieces = new ArrayList<>();
		for (int from = 0; from < bytes.length; from += size) {
			pieces.add(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size)));
		}
		return pieces;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One upload this node sends. */
	private static final class Pending {

		final String uploadId;

		final String workspaceId;

		final String nodeId;

		final AtomicLong acked = new AtomicLong();

		final Sinks.Many<Long> acks = Sinks.many().replay().latest();

		final Sinks.One<JsonNode> result = Sinks.one();

		volatile JsonNode failed;

		Pending(String uploadId, String workspaceId, String nodeId) {
			this.uploadId = uploadId;
			this.workspaceId = workspaceId;
			this.nodeId = nodeId;
		}

	}

	private record Sent(long size, String sha256) {

	}

}
