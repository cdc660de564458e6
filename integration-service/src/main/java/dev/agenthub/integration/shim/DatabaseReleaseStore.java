package dev.agenthub.integration.shim;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Releases in the service's database: a {@code shim_release} row per version and
 * {@code shim_chunk} rows holding its bytes. Chunks are inserted one at a time as the
 * upload streams in, under a fresh upload id (staged: no release row names it); inserting
 * the release row is the commit point. Reads fetch a few chunks per query, so a download
 * holds a bounded number of chunks in memory whatever the release's size.
 */
public class DatabaseReleaseStore implements ReleaseStore {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseReleaseStore.class);

	/** Chunks fetched per query while downloading. */
	private static final int READ_BATCH = 4;

	private static final String RELEASE_COLUMNS = "version, sha256, size, chunk_size, upload_id, created_at";

	private final DatabaseClient db;

	private final int chunkSize;

	public DatabaseReleaseStore(DatabaseClient db, int chunkSize) {
		this.db = db;
		this.chunkSize = chunkSize;
	}

	@Override
	public Mono<Upload> stage(Flux<DataBuffer> content, long maxSize) {
		return Mono.defer(() -> {
			String uploadId = UUID.randomUUID().toString();
			Chunker chunker = new Chunker(this.chunkSize, maxSize);
			AtomicInteger seq = new AtomicInteger();
			Inserts inserts = new Inserts();
			return chunker.chunks(content)
				.concatMap((chunk) -> inserts.start(() -> insertChunk(uploadId, seq.getAndIncrement(), chunk)), 1)
				.then(Mono.fromSupplier(() -> (Upload) new Staged(uploadId, chunker.sha256(), chunker.size())))
				// Not cancelled with the upload either: its client going away as it fails
				// must not stop the clean-up.
				.onErrorResume((ex) -> Mono
					.fromFuture(inserts.stop().thenCompose((done) -> deleteChunks(uploadId).toFuture()), true)
					.then(Mono.error(ex)))
				// A cancelled upload (client gone) cannot be cleaned up in the chain any
				// more; the rows are invisible anyway, so in the background.
				.doOnCancel(() -> inserts.stop()
					.thenRun(() -> deleteChunks(uploadId).subscribe(null, (ex) -> logger
						.warn("Could not remove chunks of cancelled upload {}: {}", uploadId, ex.toString()))));
		});
	}

	@Override
	public Flux<Release> list() {
		return this.db.sql("SELECT " + RELEASE_COLUMNS + " FROM shim_release").map(Row::of).all().map(Row::release);
	}

	@Override
	public Mono<Release> find(SemVer version) {
		return findRow(version.text()).map(Row::release);
	}

	@Override
	public Flux<DataBuffer> read(Release release, long offset, long length) {
		if (length <= 0) {
			return Flux.empty();
		}
		return findRow(release.version().text()).flatMapMany((row) -> {
			long end = offset + length;
			int first = (int) (offset / row.chunkSize());
			int last = (int) ((end - 1) / row.chunkSize());
			int batches = (last - first) / READ_BATCH + 1;
			return Flux.range(0, batches).concatMap((batch) -> {
				int from = first + batch * READ_BATCH;
				int to = Math.min(last, from + READ_BATCH - 1);
				return this.db
					.sql("SELECT seq, data FROM shim_chunk WHERE upload_id = :upload AND seq >= :from AND seq <= :to"
							+ " ORDER BY seq")
					.bind("upload", row.uploadId())
					.bind("from", from)
					.bind("to", to)
					.map((r) -> slice(r, row.chunkSize(), offset, end))
					.all();
			}, 1);
		});
	}

	private static DataBuffer slice(Readable row, int chunkSize, long offset, long end) {
		int seq = row.get("seq", Integer.class);
		byte[] data = row.get("data", byte[].class);
		long start = (long) seq * chunkSize;
		int from = (int) (Math.max(offset, start) - start);
		int to = (int) (Math.min(end, start + data.length) - start);
		return DefaultDataBufferFactory.sharedInstance.wrap(ByteBuffer.wrap(data, from, to - from));
	}

	private Mono<Void> insertChunk(String uploadId, int seq, byte[] chunk) {
		return this.db.sql("INSERT INTO shim_chunk (upload_id, seq, data) VALUES (:upload, :seq, :data)")
			.bind("upload", uploadId)
			.bind("seq", seq)
			.bind("data", chunk)
			.then();
	}

	private Mono<Void> deleteChunks(String uploadId) {
		return this.db.sql("DELETE FROM shim_chunk WHERE upload_id = :upload").bind("upload", uploadId).then();
	}

	private Mono<Stored> insertRelease(SemVer version, String sha256, long size, String uploadId, boolean firstTry) {
		Mono<Stored> insert = Mono.defer(() -> {
			// Millisecond precision: what every database keeps, so a re-read equals what
			// we return.
			OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
			return this.db
				.sql("INSERT INTO shim_release (" + RELEASE_COLUMNS
						+ ") VALUES (:version, :sha, :size, :chunk, :upload, :created)")
				.bind("version", version.text())
				.bind("sha", sha256)
				.bind("size", size)
				.bind("chunk", this.chunkSize)
				.bind("upload", uploadId)
				.bind("created", now)
				.then()
				.thenReturn(new Stored(new Release(version, sha256, size, now.toInstant()), true));
		});
		return findRow(version.text()).map((existing) -> compare(existing.release(), sha256))
			.switchIfEmpty(insert)
			// Another upload of the same version committed between our read and insert.
			.onErrorResume(DataIntegrityViolationException.class,
					(ex) -> firstTry ? insertRelease(version, sha256, size, uploadId, false) : Mono.error(ex));
	}

	private static Stored compare(Release existing, String sha256) {
		if (!existing.sha256().equals(sha256)) {
			throw new ContractViolation(ErrorCode.CONFLICT, "version " + existing.version()
					+ " already exists with other bytes (sha256 " + existing.sha256() + "); releases are immutable");
		}
		return new Stored(existing, false);
	}

	private Mono<Row> findRow(String version) {
		return this.db.sql("SELECT " + RELEASE_COLUMNS + " FROM shim_release WHERE version = :version")
			.bind("version", version)
			.map(Row::of)
			.one();
	}

	/**
	 * The chunk inserts of one upload. A statement already sent lands even when its
	 * subscriber cancels, so an upload that fails or is cancelled first stops new
	 * inserts, then removes its chunks once the one under way has ended.
	 */
	private static final class Inserts {

		private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

		private boolean stopped;

		/** Starts an insert, unless the upload has stopped; it runs to its end. */
		Mono<Void> start(Supplier<Mono<Void>> insert) {
			CompletableFuture<Void> started;
			synchronized (this) {
				if (this.stopped) {
					return Mono.empty();
				}
				started = insert.get().toFuture();
				this.last = started;
			}
			return Mono.fromFuture(started, true);
		}

		/** Stops new inserts; completes once the one under way has ended, as it may. */
		synchronized CompletableFuture<Void> stop() {
			this.stopped = true;
			return this.last.handle((done, ex) -> null);
		}

	}

	/** Chunks under an upload id that no release row names yet. */
	private final class Staged extends StagedUpload {

		private final String uploadId;

		Staged(String uploadId, String sha256, long size) {
			super(sha256, size);
			this.uploadId = uploadId;
		}

		@Override
		Mono<Stored> store(SemVer version) {
			return insertRelease(version, sha256(), size(), this.uploadId, true).flatMap(
					(stored) -> stored.created() ? Mono.just(stored) : deleteChunks(this.uploadId).thenReturn(stored))
				.onErrorResume((ex) -> deleteChunks(this.uploadId).then(Mono.error(ex)));
		}

		@Override
		Mono<Void> remove() {
			return deleteChunks(this.uploadId);
		}

	}

	private record Row(String version, String sha256, long size, int chunkSize, String uploadId, Instant createdAt) {

		static Row of(Readable row) {
			return new Row(row.get("version", String.class), row.get("sha256", String.class).trim(),
					row.get("size", Long.class), row.get("chunk_size", Integer.class),
					row.get("upload_id", String.class), row.get("created_at", OffsetDateTime.class).toInstant());
		}

		Release release() {
			return new Release(SemVer.parse(this.version), this.sha256, this.size, this.createdAt);
		}

	}

}
