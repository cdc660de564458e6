package dev.agenthub.sidecar.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

import dev.agenthub.contracts.message.MessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Receives {@code upload:begin}, {@code upload:chunk}, {@code upload:end} and
 * {@code upload:abort}, and answers {@code upload:ack} every {@value #ACK_EVERY} pieces
 * and one {@code upload:result}. All file work runs on one worker thread (pieces stay in
 * order, the connection's I/O thread never blocks). A file is written to
 * {@code .<name>.<uploadId>.upload} beside the target, created with mode 0600, checked
 * against the announced size and SHA-256, given its mode and moved into place with an
 * atomic rename; on any failure the temporary file is deleted.
 */
public final class FileReceiver {

	private static final Logger logger = LoggerFactory.getLogger(FileReceiver.class);

	/**
	 * Pieces acknowledged together: one {@code upload:ack} per this many (the hub's
	 * window is larger), so acknowledgements stay well under the agent's message rate.
	 */
	static final int ACK_EVERY = 4;

	/** Uploads in progress at most. */
	static final int MAX_UPLOADS = 4;

	/** Where uploads are never written. */
	static final List<Path> DENIED = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

	private final Path root;

	private final Path base;

	private final ExecutorService worker;

	private final BiConsumer<String, Map<String, Object>> reply;

	private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

	/**
	 * @param root the only directory (tree) uploads may go to; {@code /} for anywhere but
	 * {@link #DENIED}
	 * @param base what relative paths are resolved against (the repository)
	 * @param worker the thread that does the file work
	 * @param reply sends a message to the hub
	 */
	public FileReceiver(Path root, Path base, ExecutorService worker, BiConsumer<String, Map<String, Object>> reply) {
		this.root = root.toAbsolutePath().normalize();
		this.base = base.toAbsolutePath().normalize();
		this.worker = worker;
		this.reply = reply;
	}

	/** Whether this receiver handles the message type. */
	public static boolean handles(String type) {
		return type.equals(MessageTypes.UPLOAD_BEGIN) || type.equals(MessageTypes.UPLOAD_CHUNK)
				|| type.equals(MessageTypes.UPLOAD_END) || type.equals(MessageTypes.UPLOAD_ABORT);
	}

	/** Handles an upload message (called on the I/O thread; the work is queued). */
	public void onMessage(String type, JsonNode data) {
		String uploadId = data.path("uploadId").asString(null);
		if (uploadId == null || uploadId.isEmpty() || uploadId.length() > 128) {
			logger.warn("Ignoring {} without a valid uploadId", type);
			return;
		}
		this.worker.execute(() -> {
			try {
				switch (type) {
					case MessageTypes.UPLOAD_BEGIN -> begin(uploadId, data);
					case MessageTypes.UPLOAD_CHUNK -> chunk(uploadId, data);
					case MessageTypes.UPLOAD_END -> end(uploadId, data);
					default -> abort(uploadId);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Upload {} failed", uploadId, ex);
				fail(uploadId, MessageTypes.UPLOAD_FAILED, ex.toString());
			}
		});
	}

	private void begin(String uploadId, JsonNode data) {
		if (this.uploads.containsKey(uploadId)) {
			return;
		}
		if (this.uploads.size() >= MAX_UPLOADS) {
			result(uploadId, false, MessageTypes.UPLOAD_FAILED, "too many uploads at once; try again", null);
			return;
		}
		Path target;
		Set<PosixFilePermission> mode;
		try {
			target = target(data.path("path").asString(""));
			mode = mode(data.path("mode").asString("0600"));
		}
		catch (IllegalArgumentException ex) {
			result(uploadId, false, MessageTypes.UPLOAD_REFUSED_PATH, ex.getMessage(), null);
			return;
		}
		Path temp = target
			.resolveSibling("." + target.getFileName() + "." + uploadId.replaceAll("[^A-Za-z0-9-]", "_") + ".upload");
		try {
			FileChannel channel = FileChannel.open(temp,
					Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			this.uploads.put(uploadId, new Upload(target, temp, mode, channel, sha256(), data.path("size").asLong(-1)));
		}
		catch (IOException ex) {
			result(uploadId, false, code(ex), "cannot create " + temp + ": " + message(ex), null);
		}
	}

	private void chunk(String uploadId, JsonNode data) {
		Upload upload = this.uploads.get(uploadId);
		if (upload == null) {
			return;
		}
		long seq = data.path("seq").asLong(-1);
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(data.path("data").asString(""));
		}
		catch (IllegalArgumentException ex) {
			fail(uploadId, MessageTypes.UPLOAD_FAILED, "piece " + seq + " is not base64");
			return;
		}
		try {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				upload.channel().write(buffer);
			}
			upload.digest().update(bytes);
			upload.add(bytes.length);
		}
		catch (IOException ex) {
			fail(uploadId, code(ex), "writing " + upload.target() + " failed: " + message(ex));
			return;
		}
		if (upload.expected() >= 0 && upload.written() > upload.expected()) {
			fail(uploadId, MessageTypes.UPLOAD_CHECKSUM_MISMATCH,
					"more bytes than announced (" + upload.expected() + ")");
			return;
		}
		if (seq % ACK_EVERY == 0) {
			Map<String, Object> ack = new LinkedHashMap<>();
			ack.put("uploadId", uploadId);
			ack.put("seq", seq);
			this.reply.accept(MessageTypes.UPLOAD_ACK, ack);
		}
	}

	private void end(String uploadId, JsonNode data) {
		Upload upload = this.uploads.get(uploadId);
		if (upload == null) {
			return;
		}
		long size = data.path("size").asLong(-1);
		String expected = data.path("sha256").asString("");
		String actual = HexFormat.of().formatHex(upload.digest().digest());
		if (size != upload.written() || !expected.equalsIgnoreCase(actual)) {
			fail(uploadId, MessageTypes.UPLOAD_CHECKSUM_MISMATCH, "received " + upload.written()
					+ " bytes with SHA-256 " + actual + ", expected " + size + " bytes with SHA-256 " + expected);
			return;
		}
		try {
			upload.channel().force(true);
			upload.channel().close();
			Files.setPosixFilePermissions(upload.temp(), upload.mode());
			Files.move(upload.temp(), upload.target(), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			fail(uploadId, code(ex), "finishing " + upload.target() + " failed: " + message(ex));
			return;
		}
		this.uploads.remove(uploadId);
		logger.info("Upload {} wrote {} ({} bytes)", uploadId, upload.target(), upload.written());
		Map<String, Object> done = new LinkedHashMap<>();
		done.put("path", upload.target().toString());
		done.put("size", upload.written());
		done.put("sha256", actual);
		result(uploadId, true, null, null, done);
	}

	private void abort(String uploadId) {
		Upload upload = this.uploads.remove(uploadId);
		if (upload != null) {
			discard(upload);
		}
	}

	private void fail(String uploadId, String code, String error) {
		Upload upload = this.uploads.remove(uploadId);
		if (upload != null) {
			discard(upload);
		}
		result(uploadId, false, code, error, null);
	}

	private static void discard(Upload upload) {
		try {
			upload.channel().close();
		}
		catch (IOException ex) {
			// closing a file that is deleted next; nothing to recover
		}
		try {
			Files.deleteIfExists(upload.temp());
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}: {}", upload.temp(), ex.toString());
		}
	}

	private void result(String uploadId, boolean ok, String code, String error, Map<String, Object> more) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("uploadId", uploadId);
		result.put("ok", ok);
		if (code != null) {
			result.put("code", code);
			result.put("error", error);
		}
		if (more != null) {
			result.putAll(more);
		}
		this.reply.accept(MessageTypes.UPLOAD_RESULT, result);
	}

	/** The target file, if uploads may go there. */
	Path target(String path) {
		if (path.isEmpty() || path.length() > 4096 || path.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("path is required (at most 4096 characters, no NUL)");
		}
		Path target = this.base.resolve(path).normalize();
		if (!target.startsWith(this.root)) {
			throw new IllegalArgumentException(path + " is outside " + this.root + ", where uploads go");
		}
		for (Path denied : DENIED) {
			if (target.startsWith(denied)) {
				throw new IllegalArgumentException(path + " is under " + denied + ", where uploads never go");
			}
		}
		if (target.getFileName() == null || Files.isDirectory(target)) {
			throw new IllegalArgumentException(path + " is a directory");
		}
		if (!Files.isDirectory(target.getParent())) {
			throw new IllegalArgumentException("the directory of " + path + " does not exist");
		}
		return target;
	}

	/** An octal mode such as {@code 0600}, at most {@code 0777}. */
	static Set<PosixFilePermission> mode(String text) {
		if (!text.matches("0?[0-7]{3}")) {
			throw new IllegalArgumentException("mode must be octal such as 0600 or 644, not '" + text + "'");
		}
		int bits = Integer.parseInt(text, 8);
		StringBuilder rwx = new StringBuilder();
		for (int shift = 6; shift >= 0; shift -= 3) {
			int part = (bits >> shift) & 7;
			rwx.append(((part & 4) != 0) ? 'r' : '-')
				.append(((part & 2) != 0) ? 'w' : '-')
				.append(((part & 1) != 0) ? 'x' : '-');
		}
		return PosixFilePermissions.fromString(rwx.toString());
	}

	/** {@code disk_full} for ENOSPC, else a general failure. */
	static String code(IOException ex) {
		String text = String.valueOf((ex instanceof FileSystemException fs) ? fs.getReason() : ex.getMessage());
		return text.contains("No space left") || text.contains("Disk quota exceeded") ? MessageTypes.UPLOAD_DISK_FULL
				: MessageTypes.UPLOAD_FAILED;
	}

	private static String message(IOException ex) {
		return (ex instanceof FileSystemException fs && fs.getReason() != null) ? fs.getReason() : ex.toString();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One upload in progress (touched only on the worker thread). */
	private static final class Upload {

		private final Path target;

		private final Path temp;

		private final Set<PosixFilePermission> mode;

		private final FileChannel channel;

		private final MessageDigest digest;

		private final long expected;

		private long written;

		Upload(Path target, Path temp, Set<PosixFilePermission> mode, FileChannel channel, MessageDigest digest,
				long expected) {
			this.target = target;
			this.temp = temp;
			this.mode = mode;
			this.channel = channel;
			this.digest = digest;
			this.expected = expected;
		}

		Path target() {
			return this.target;
		}

		Path temp() {
			return this.temp;
		}

		Set<PosixFilePermission> mode() {
			return this.mode;
		}

		FileChannel channel() {
			return this.channel;
		}

		MessageDigest digest() {
			return this.digest;
		}

		long expected() {
			return this.expected;
		}

		long written() {
			return this.written;
		}

		void add(long bytes) {
			this.written += bytes;
		}

	}

}
