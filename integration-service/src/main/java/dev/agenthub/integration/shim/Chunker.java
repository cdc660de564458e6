package dev.agenthub.integration.shim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cuts an upload into fixed-size chunks while counting and hashing it, and stops it at
 * the size limit. One instance per upload (it is stateful, not thread-safe: Reactor
 * delivers an upload's buffers serially).
 */
final class Chunker {

	/** How many upstream buffers are requested ahead: bounds memory per upload. */
	private static final int PREFETCH = 4;

	private final int chunkSize;

	private final long maxSize;

	private final MessageDigest digest;

	private long size;

	private byte[] current;

	private int filled;

	Chunker(int chunkSize, long maxSize) {
		this.chunkSize = chunkSize;
		this.maxSize = maxSize;
		this.digest = newDigest();
		this.current = new byte[chunkSize];
	}

	/** The upload as chunks of {@code chunkSize} bytes (the last one shorter). */
	Flux<byte[]> chunks(Flux<DataBuffer> content) {
		return content.concatMapIterable(this::accept, PREFETCH)
			.concatWith(Mono.fromSupplier(this::finish))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
	}

	long size() {
		return this.size;
	}

	/** The SHA-256 of everything accepted, lowercase hex; valid after the last chunk. */
	String sha256() {
		return HexFormat.of().formatHex(this.digest.digest());
	}

	private List<byte[]> accept(DataBuffer buffer) {
		try {
			this.size += buffer.readableByteCount();
			if (this.size > this.maxSize) {
				throw new ContractViolation(ErrorCode.TOO_LARGE,
						"the file is larger than the limit of " + this.maxSize + " bytes (hub.shim.max-size)");
			}
			List<byte[]> full = new ArrayList<>(2);
			while (buffer.readableByteCount() > 0) {
				int take = Math.min(this.chunkSize - this.filled, buffer.readableByteCount());
				buffer.read(this.current, this.filled, take);
				this.filled += take;
				if (this.filled == this.chunkSize) {
					this.digest.update(this.current);
					full.add(this.current);
					this.current = new byte[this.chunkSize];
					this.filled = 0;
				}
			}
			return full;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private byte[] finish() {
		if (this.size == 0) {
			throw ContractViolation.badRequest("the file is empty");
		}
		if (this.filled == 0) {
			return null;
		}
		byte[] last = Arrays.copyOf(this.current, this.filled);
		this.digest.update(last);
		this.current = null;
		return last;
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

}
