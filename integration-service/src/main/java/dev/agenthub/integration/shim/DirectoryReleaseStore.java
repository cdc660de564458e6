package dev.agenthub.integration.shim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Releases as files: {@code
 *
<dir>
 * /<version>/chromium} and its metadata {@code
 *
<dir>
 * /<version>/release.json}. Uploads stream into {@code
 *
<dir>
 * /.uploads/} (staged) and are moved into place atomically; writing {@code release.json}
 * (itself atomically) is the commit point. File work runs on the bounded-elastic
 * scheduler.
 */
public class DirectoryReleaseStore implements ReleaseStore {

	private static final String BYTES = "chromium";

	private static final String META = "release.json";

	private static final int READ_BUFFER = 64 * 1024;

	private final Path root;

	private final Path uploads;

	private final int chunkSize;

	// Serialises commits of this store, so two uploads of one version cannot both win.
	private final Object commitLock = new Object();

	public DirectoryReleaseStore(Path root, int chunkSize) {
		this.root = root.toAbsolutePath().normalize();
		this.uploads = this.root.resolve(".uploads");
		this.chunkSize = chunkSize;
	}

	@Override
	public Mono<Upload> stage(Flux<DataBuffer> content, long maxSize) {
		return Mono.defer(() -> {
			Chunker chunker = new Chunker(this.chunkSize, maxSize);
			Path upload = this.uploads.resolve(UUID.randomUUID() + ".part");
			return Mono
				.using(() -> open(upload),
						(channel) -> chunker.chunks(content)
							.concatMap((chunk) -> Mono.fromRunnable(() -> write(channel, chunk))
								.subscribeOn(Schedulers.boundedElastic()), 1)
							.then(),
						DirectoryReleaseStore::close)
				.then(Mono.fromSupplier(() -> (Upload) new Staged(upload, chunker.sha256(), chunker.size())))
				.doOnError((ex) -> deleteQuietly(upload))
				.doOnCancel(() -> deleteQuietly(upload));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Flux<Release> list() {
		return Mono.fromCallable(this::readAll).subscribeOn(Schedulers.boundedElastic()).flatMapIterable((all) -> all);
	}

	@Override
	public Mono<Release> find(SemVer version) {
		return Mono.fromCallable(() -> readMeta(this.root.resolve(version.text()).resolve(META)))
			.subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Flux<DataBuffer> read(Release release, long offset, long length) {
		if (length <= 0) {
			return Flux.empty();
		}
		Path file = this.root.resolve(release.version().text()).resolve(BYTES);
		Flux<DataBuffer> all = DataBufferUtils.readAsynchronousFileChannel(
				() -> AsynchronousFileChannel.open(file, StandardOpenOption.READ), offset,
				DefaultDataBufferFactory.sharedInstance, READ_BUFFER);
		return DataBufferUtils.takeUntilByteCount(all, length);
	}

	private Stored moveIntoPlace(SemVer version, String sha256, long size, Path upload) throws IOException {
		synchronized (this.commitLock) {
			Path dir = this.root.resolve(version.text());
			Release existing = readMeta(dir.resolve(META));
			if (existing != null) {
				Files.deleteIfExists(upload);
				if (!existing.sha256().equals(sha256)) {
					throw new ContractViolation(ErrorCode.CONFLICT, "version " + version + " already exists with"
							+ " other bytes (sha256 " + existing.sha256() + "); releases are immutable");
				}
				return new Stored(existing, false);
			}
			Files.createDirectories(dir);
			Files.move(upload, dir.resolve(BYTES), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			Release release = new Release(version, sha256, size, Instant.now().truncatedTo(ChronoUnit.MILLIS));
			ObjectNode meta = HubJson.object();
			meta.put("version", version.text());
			meta.put("sha256", sha256);
			meta.put("size", size);
			meta.put("createdAt", release.createdAt().toString());
			Path temp = this.uploads.resolve(UUID.randomUUID() + ".json");
			Files.write(temp, HubJson.writeBytes(meta));
			Files.move(temp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return new Stored(release, true);
		}
	}

	/** A part file in {@code .uploads/}. */
	private final class Staged extends StagedUpload {

		private final Path upload;

		Staged(Path upload, String sha256, long size) {
			super(sha256, size);
			this.upload = upload;
		}

		@Override
		Mono<Stored> store(SemVer version) {
			return Mono.fromCallable(() -> moveIntoPlace(version, sha256(), size(), this.upload))
				.subscribeOn(Schedulers.boundedElastic())
				.doFinally((signal) -> deleteQuietly(this.upload));
		}

		@Override
		Mono<Void> remove() {
			return Mono.<Void>fromRunnable(() -> deleteQuietly(this.upload)).subscribeOn(Schedulers.boundedElastic());
		}

	}

	private List<Release> readAll() throws IOException {
		if (!Files.isDirectory(this.root)) {
			return List.of();
		}
		try (Stream<Path> dirs = Files.list(this.root)) {
			return dirs.filter((dir) -> SemVer.isValid(dir.getFileName().toString()))
				.map((dir) -> readMeta(dir.resolve(META)))
				.filter((release) -> release != null)
				.toList();
		}
	}

	private static Release readMeta(Path meta) {
		try {
			if (!Files.isRegularFile(meta)) {
				return null;
			}
			JsonNode node = HubJson.parse(Files.readAllBytes(meta));
			return new Release(SemVer.parse(node.get("version").asString()), node.get("sha256").asString(),
					node.get("size").asLong(), Instant.parse(node.get("createdAt").asString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + meta, ex);
		}
	}

	private FileChannel open(Path upload) throws IOException {
		Files.createDirectories(this.uploads);
		return FileChannel.open(upload, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
	}

	private static void write(FileChannel channel, byte[] chunk) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(chunk);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void close(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// Best effort: a leftover part file is invisible to readers.
		}
	}

}
