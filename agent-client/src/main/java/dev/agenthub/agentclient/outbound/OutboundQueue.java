package dev.agenthub.agentclient.outbound;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded FIFO of messages waiting for the WebSocket. Thread-safe; survives reconnects.
 * <p>
 * Bounds: at most {@code maxMessages} entries and about {@code maxBytes} of text. When
 * full, a lossy entry (output, stats, git status, ...) is dropped: the new one if it is
 * lossy, otherwise the oldest lossy entry to make room; every drop is counted and logged
 * (at most every 10 s).
 * <p>
 * Coalescing: consecutive output of the same tab (same stream) or task is appended to one
 * open chunk for up to {@code linger} and {@code maxChunkChars}; a chunk at the head of
 * the queue is held back until then, so many small writes leave as few frames. Order is
 * kept per tab and task, and any other message closes every open chunk so nothing
 * overtakes it.
 * <p>
 * Flow control: a producer that can wait (a pump reading a process's output) calls
 * {@link #awaitRoom} first, so output faster than the connection takes slows its source
 * (the process blocks on its pipe) instead of being dropped; half of the bounds stays
 * free for everything else.
 */
public final class OutboundQueue {

	private static final Logger logger = LoggerFactory.getLogger(OutboundQueue.class);

	private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final int maxMessages;

	private final long maxBytes;

	private final int maxChunkChars;

	private final long lingerNanos;

	private final ArrayDeque<OutboundEntry> entries = new ArrayDeque<>(8);

	private Map<String, OutputChunk> openChunks;

	private long bytes;

	private final AtomicLong dropped = new AtomicLong();

	private long lastWarnNanos;

	/** Producers waiting in {@link #awaitRoom}. */
	private int waiting;

	public OutboundQueue(int maxMessages, long maxBytes, int maxChunkChars, Duration linger) {
		if (maxMessages < 1 || maxBytes < 1 || maxChunkChars < 1) {
			throw new IllegalArgumentException("outbound queue bounds must be positive");
		}
		this.maxMessages = maxMessages;
		this.maxBytes = maxBytes;
		this.maxChunkChars = maxChunkChars;
		this.lingerNanos = linger.toNanos();
	}

	/**
	 * Queues an encoded message; it closes every open output chunk.
	 * @param entry the message
	 * @return {@code false} if it was dropped because the queue is full
	 */
	public synchronized boolean offer(OutboundEntry entry) {
		closeOpenChunks();
		return add(entry);
	}

	/**
	 * Queues output text, appending it to the open chunk of the same tab or task when
	 * possible. Text longer than the chunk bound is split.
	 * @param kind tab or task output
	 * @param key the tab or task id
	 * @param stream the tab stream ({@code stdout}/{@code stderr}) or {@code null}
	 * @param error whether task output is stderr
	 * @param text the text
	 * @return {@code false} if some of it was dropped because the queue is full
	 */
	public synchronized boolean offerOutput(ChunkKind kind, String key, String stream, boolean error, String text) {
		boolean accepted = true;
		int start = 0;
		while (start < text.length()) {
			int end = splitPoint(text, start);
			accepted &= offerPiece(kind, key, stream, error, text.substring(start, end));
			start = end;
		}
		return accepted;
	}

	private int splitPoint(String text, int start) {
		int end = Math.min(text.length(), start + this.maxChunkChars);
		if (end < text.length() && end - start > 1 && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--; // never split a surrogate pair
		}
		return end;
	}

	private boolean offerPiece(ChunkKind kind, String key, String stream, boolean error, String piece) {
		String coalesceKey = kind.type() + '\u0000' + key;
		OutputChunk open = (this.openChunks != null) ? this.openChunks.get(coalesceKey) : null;
		if (open != null && open.accepts(stream, error, piece.length(), this.maxChunkChars)
				&& this.bytes + piece.length() <= this.maxBytes) {
			open.append(piece);
			this.bytes += piece.length();
			if (open.length() >= this.maxChunkChars) {
				closeChunk(open);
			}
			return true;
		}
		if (open != null) {
			closeChunk(open);
		}
		OutputChunk chunk = new OutputChunk(kind, key, stream, error, piece, System.nanoTime() + this.lingerNanos);
		if (!add(chunk)) {
			return false;
		}
		if (chunk.length() < this.maxChunkChars) {
			if (this.openChunks == null) {
				this.openChunks = new HashMap<>(4);
			}
			this.openChunks.put(coalesceKey, chunk);
		}
		else {
			chunk.close();
		}
		return true;
	}

	private boolean add(OutboundEntry entry) {
		while (isFull(entry)) {
			if (entry.lossy() || !evictOldestLossy()) {
				recordDrop(entry);
				return false;
			}
		}
		this.entries.addLast(entry);
		this.bytes += entry.size();
		return true;
	}

	private boolean isFull(OutboundEntry entry) {
		return this.entries.size() >= this.maxMessages || this.bytes + entry.size() > this.maxBytes;
	}

	private boolean evictOldestLossy() {
		for (Iterator<OutboundEntry> it = this.entries.iterator(); it.hasNext();) {
			OutboundEntry candidate = it.next();
			if (candidate.lossy()) {
				it.remove();
				this.bytes -= candidate.size();
				if (candidate instanceof OutputChunk chunk) {
					closeChunk(chunk);
				}
				recordDrop(candidate);
				return true;
			}
		}
		return false;
	}

	private void recordDrop(OutboundEntry entry) {
		long count = this.dropped.incrementAndGet();
		long now = System.nanoTime();
		if (count == 1 || now - this.lastWarnNanos >= WARN_INTERVAL_NANOS) {
			this.lastWarnNanos = now;
			logger.warn("Outbound queue full ({} messages, {} bytes): dropped a {} message ({} dropped so far)",
					this.entries.size(), this.bytes, entry.lossy() ? "lossy" : "non-lossy", count);
		}
	}

	/**
	 * Waits until the queue holds less than half of its bounds (and {@code chars} more
	 * fit within that half), or until {@code maxWait} passed.
	 * @param chars the text about to be offered
	 * @param maxWait the longest wait
	 * @return {@code true} when there is room, {@code false} when the wait ended first
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	public synchronized boolean awaitRoom(int chars, Duration maxWait) throws InterruptedException {
		long deadline = System.nanoTime() + maxWait.toNanos();
		while (this.entries.size() >= this.maxMessages / 2
				|| (this.bytes > 0 && this.bytes + Math.min(chars, this.maxBytes / 2) > this.maxBytes / 2)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			this.waiting++;
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			finally {
				this.waiting--;
			}
		}
		return true;
	}

	/**
	 * Removes the head entry if it is ready to send: an output chunk at the head waits
	 * until it is full or its linger time passed.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return the entry, or {@code null} if the queue is empty or its head is still
	 * lingering
	 */
	public synchronized OutboundEntry pollReady(long nowNanos) {
		OutboundEntry head = this.entries.peekFirst();
		if (head == null) {
			return null;
		}
		if (head instanceof OutputChunk chunk) {
			if (chunk.isOpen() && nowNanos - chunk.deadlineNanos() < 0) {
				return null;
			}
			closeChunk(chunk);
		}
		this.entries.pollFirst();
		this.bytes -= head.size();
		if (this.waiting > 0) {
			notifyAll();
		}
		return head;
	}

	/**
	 * When the head entry becomes ready, if it is a lingering chunk.
	 * @return the {@link System#nanoTime()} deadline, or {@code 0} if the head is ready
	 * or the queue is empty
	 */
	public synchronized long headDeadlineNanos() {
		if (this.entries.peekFirst() instanceof OutputChunk chunk && chunk.isOpen()) {
			return chunk.deadlineNanos();
		}
		return 0;
	}

	/**
	 * Removes everything queued.
	 */
	public synchronized void clear() {
		this.entries.clear();
		this.openChunks = null;
		this.bytes = 0;
		notifyAll();
	}

	public synchronized int size() {
		return this.entries.size();
	}

	public synchronized long bytes() {
		return this.bytes;
	}

	/**
	 * How many messages were dropped because the queue was full.
	 * @return the count since creation
	 */
	public long dropped() {
		return this.dropped.get();
	}

	private void closeOpenChunks() {
		if (this.openChunks != null) {
			this.openChunks.values().forEach(OutputChunk::close);
			this.openChunks = null;
		}
	}

	private void closeChunk(OutputChunk chunk) {
		chunk.close();
		if (this.openChunks != null) {
			this.openChunks.remove(chunk.coalesceKey(), chunk);
			if (this.openChunks.isEmpty()) {
				this.openChunks = null;
			}
		}
	}

}
