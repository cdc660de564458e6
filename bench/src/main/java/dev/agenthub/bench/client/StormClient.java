package dev.agenthub.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.agenthub.bench.metrics.Frames;
import io.netty.buffer.ByteBuf;

/**
 * One client of the reconnect storm: a browser (raw or Socket.IO) subscribed to two
 * channels (its own and a shared one) that keeps, per channel, the epoch and the last
 * offset seen, counts gaps and duplicates as events arrive, and after its gateway dies
 * reconnects to another with its resume point — raw: {@code subscribe} with
 * {@code since}; Socket.IO: CONNECT with {@code {pid, offset}}, and when the server
 * answers not recovered, {@code subscribe} with {@code since} per channel.
 */
public final class StormClient {

	/** Per-channel position. */
	static final class Position {

		final String channel;

		volatile String epoch;

		volatile long last = -1;

		volatile long received;

		Position(String channel) {
			this.channel = channel;
		}

	}

	private static final byte[] CHANNEL = Frames.ascii("\"channel\":\"");

	private static final byte[] SUBSCRIBED_EVENT = Frames.ascii("42[\"subscribed\"");

	private static final java.util.concurrent.atomic.AtomicInteger RETRIED = new java.util.concurrent.atomic.AtomicInteger();

	private static final java.util.concurrent.atomic.AtomicInteger NOT_RECOVERED_SHOWN = new java.util.concurrent.atomic.AtomicInteger();

	private static final java.util.concurrent.atomic.AtomicInteger GAPS_SHOWN = new java.util.concurrent.atomic.AtomicInteger();

	private final String token;

	private final boolean socketIo;

	private final Position[] positions;

	private volatile Browser browser;

	private volatile String pid;

	private volatile String lastSioOffset;

	/**
	 * Gaps by when and where: [on the first gateway | after the resume][own | shared].
	 */
	private final int[][] gapsBy = new int[2][2];

	private volatile boolean resuming;

	/**
	 * Where the client is in its (re)connect, for the report of those that never finish.
	 */
	private volatile String stage = "new";

	private volatile int duplicates;

	/** Events a gap skipped, summed over the gaps. */
	private volatile long skipped;

	private volatile boolean recoveredByPid;

	private volatile int lateReplies;

	private volatile int attempts;

	/** When its last open completed (before it subscribed), {@link System#nanoTime}. */
	private volatile long openedAtNanos;

	private final java.util.Map<String, CompletableFuture<String>> subscribedEvents = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * @param token user token for both channels
	 * @param socketIo Socket.IO or raw
	 * @param own its own channel
	 * @param shared the shared channel
	 */
	public StormClient(String token, boolean socketIo, String own, String shared) {
		this.token = token;
		this.socketIo = socketIo;
		this.positions = new Position[] { new Position(own), new Position(shared) };
	}

	/**
	 * Connects to a gateway and subscribes to both channels from their current position.
	 * @param gatewayUrl raw {@code ws://host:port/ws}
	 * @param sourceHost local address
	 * @return completes when subscribed to both
	 */
	public CompletableFuture<StormClient> start(String gatewayUrl, String sourceHost) {
		return connect(gatewayUrl, sourceHost, false).thenApply((x) -> this);
	}

	/**
	 * Reconnects with the resume point.
	 * @param gatewayUrl the surviving gateway
	 * @param sourceHost local address
	 * @return completes with whether every channel was recovered (no gap)
	 */
	public CompletableFuture<Boolean> resume(String gatewayUrl, String sourceHost) {
		this.resuming = true;
		return connect(gatewayUrl, sourceHost, true);
	}

	/** When its last open completed (before it subscribed), {@link System#nanoTime}. */
	public long openedAtNanos() {
		return this.openedAtNanos;
	}

	/** Where the client is in its (re)connect. */
	public String stage() {
		return (this.socketIo ? "sio " : "raw ") + this.stage;
	}

	/** Opens tried again after a refusal, over every client. */
	public static int opensRetried() {
		return Retries.opensRetried();
	}

	private CompletableFuture<Boolean> connect(String gatewayUrl, String sourceHost, boolean resume) {
		this.stage = "connecting";
		// It subscribes itself, with `since` on a resume: no server-side subscriptions,
		// which would deliver from "now" before its own subscribe replays what it missed
		// (a resuming client that keeps them must drop what it already has, by offset).
		Target target = new Target(this.socketIo ? "hub-sio" : "hub-raw", gatewayUrl + "?subscribe=none",
				base(gatewayUrl), null, null, null, null);
		CompletableFuture<Browser> opened;
		if (this.socketIo) {
			String auth = "{\"token\":\"" + this.token + "\",\"subscribe\":false"
					+ ((resume && this.pid != null && this.lastSioOffset != null)
							? ",\"pid\":\"" + this.pid + "\",\"offset\":\"" + this.lastSioOffset + "\"" : "")
					+ "}";
			opened = Retries
				.open(() -> attempt(() -> SioBrowser.connect(target.browserBase(), auth, sourceHost, this::onSioEvent)))
				.thenApply((b) -> {
					String reply = b.connectReply();
					String newPid = between(reply, "\"pid\":\"");
					this.recoveredByPid = resume && newPid != null && newPid.equals(this.pid);
					this.pid = newPid;
					return b;
				});
		}
		else {
			opened = Retries.open(() -> attempt(() -> target.browser(0, this.token, sourceHost, this::onRawEvent)));
		}
		return opened.thenCompose((b) -> {
			this.openedAtNanos = System.nanoTime();
			this.browser = b;
			if (b instanceof BrowserSession raw) {
				// presence events take offsets on the workspace channels too
				raw.onPresence(this::onRawEvent);
			}
			if (resume && this.recoveredByPid) {
				return CompletableFuture.completedFuture(true);
			}
			// one after the other: the raw client correlates one pending subscribe at a
			// time
			return subscribe(b, this.positions[0], resume)
				.thenCompose((x) -> subscribe(b, this.positions[1], resume).thenApply((y) -> {
					boolean ok = !resume || (recovered(x) && recovered(y));
					if (!ok && NOT_RECOVERED_SHOWN.incrementAndGet() <= 3) {
						System.err.println("storm: not recovered: " + x + " / " + y);
					}
					return ok;
				}));
		});
	}

	/** One try to open, its number and outcome kept in the stage. */
	private <T> CompletableFuture<T> attempt(java.util.function.Supplier<CompletableFuture<T>> open) {
		int n = ++this.attempts;
		this.stage = "connecting, attempt " + n;
		return open.get().whenComplete((b, ex) -> {
			if (ex != null) {
				this.stage = "connecting, attempt " + n + " failed: "
						+ String.valueOf(ex.getMessage()).replaceAll("[0-9]+", "#");
			}
		});
	}

	private CompletableFuture<String> subscribe(Browser b, Position p, boolean resume) {
		this.stage = "subscribing " + p.channel + (resume ? " since " + p.epoch + ":" + p.last : "");
		String epoch = (resume && p.epoch != null) ? p.epoch : null;
		CompletableFuture<String> event = new CompletableFuture<>();
		this.subscribedEvents.put(p.channel, event);
		return subscribeRetrying(b, p.channel, epoch, p.last, 0).thenCompose((ack) -> {
			// the hub acks {"ok":true} when the reply comes after the request ended (a
			// recovery that reads the log) and emits the reply as a `subscribed` event
			if (this.socketIo && ack.contains("\"ok\":true") && !ack.contains("\"channel\"")) {
				this.lateReplies++;
				return event.orTimeout(30, TimeUnit.SECONDS);
			}
			return CompletableFuture.completedFuture(ack);
		}).thenApply((reply) -> {
			if (!resume || p.epoch == null) {
				p.epoch = between(reply, "\"epoch\":\"");
				long offset = offset(reply);
				if (p.last < 0) {
					p.last = offset;
				}
			}
			return reply;
		});
	}

	/**
	 * As a real client does: a subscribe answered {@code unavailable} ("try again": the
	 * hub's engine was too slow) is sent again after 1–3 s, up to 8 times.
	 */
	private static CompletableFuture<String> subscribeRetrying(Browser b, String channel, String epoch, long last,
			int attempt) {
		return Retries.retrying(() -> b.subscribeReply(channel, epoch, last),
				(error) -> String.valueOf(error.getMessage()).contains("\"unavailable\""), 8, RETRIED, attempt);
	}

	/** Subscribes sent again after an {@code unavailable} reply, over every client. */
	public static int retried() {
		return RETRIED.get();
	}

	private static boolean recovered(String reply) {
		return reply.contains("\"recovered\":true");
	}

	private static long offset(String reply) {
		int at = reply.indexOf("\"offset\":");
		if (at < 0) {
			return 0;
		}
		int i = at + 9;
		long v = 0;
		while (i < reply.length() && Character.isDigit(reply.charAt(i))) {
			v = v * 10 + (reply.charAt(i++) - '0');
		}
		return v;
	}

	private static String between(String text, String key) {
		int at = text.indexOf(key);
		if (at < 0) {
			return null;
		}
		int end = text.indexOf('"', at + key.length());
		return (end < 0) ? null : text.substring(at + key.length(), end);
	}

	private static String base(String url) {
		java.net.URI uri = java.net.URI.create(url);
		return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
	}

	private void onRawEvent(ByteBuf frame) {
		String channel = Frames.stringAfter(frame, CHANNEL);
		long offset = Frames.longAfter(frame, Frames.OFFSET);
		if (channel != null && offset >= 0) {
			seen(channel, offset);
		}
	}

	/**
	 * {@code 42["type",{...},"<channel>@<offset>"]}: the last argument is the position.
	 */
	private void onSioEvent(ByteBuf frame) {
		int end = frame.writerIndex() - 1;
		while (end > frame.readerIndex() && frame.getByte(end) != '"') {
			end--;
		}
		int at = end - 1;
		while (at > frame.readerIndex() && frame.getByte(at) != '@' && frame.getByte(at) != '"') {
			at--;
		}
		if (at <= frame.readerIndex() || frame.getByte(at) != '@') {
			return;
		}
		int start = at - 1;
		while (start > frame.readerIndex() && frame.getByte(start) != '"') {
			start--;
		}
		String channel = frame.toString(start + 1, at - start - 1, StandardCharsets.US_ASCII);
		long offset = Long.parseLong(frame.toString(at + 1, end - at - 1, StandardCharsets.US_ASCII));
		this.lastSioOffset = channel + "@" + offset;
		seen(channel, offset);
	}

	private void seen(String channel, long offset) {
		for (int i = 0; i < this.positions.length; i++) {
			Position p = this.positions[i];
			if (p.channel.equals(channel)) {
				if (p.last >= 0 && offset <= p.last) {
					this.duplicates++;
				}
				else {
					if (p.last >= 0 && offset > p.last + 1) {
						this.gapsBy[this.resuming ? 1 : 0][i]++;
						this.skipped += offset - p.last - 1;
						if (GAPS_SHOWN.incrementAndGet() <= 20) {
							System.err.println("storm: gap " + (this.socketIo ? "sio " : "raw ")
									+ (this.resuming ? "after resume " : "on A ") + channel + " last " + p.last
									+ " got " + offset);
						}
					}
					p.last = offset;
					p.received++;
				}
				return;
			}
		}
	}

	public Browser browser() {
		return this.browser;
	}

	public boolean socketIo() {
		return this.socketIo;
	}

	public boolean recoveredByPid() {
		return this.recoveredByPid;
	}

	/**
	 * Gaps seen on one channel in one phase.
	 * @param afterResume on the second gateway rather than the first
	 * @param shared on the shared channel rather than its own
	 */
	public int gaps(boolean afterResume, boolean shared) {
		return this.gapsBy[afterResume ? 1 : 0][shared ? 1 : 0];
	}

	public int gaps() {
		return this.gapsBy[0][0] + this.gapsBy[0][1] + this.gapsBy[1][0] + this.gapsBy[1][1];
	}

	/**
	 * @return subscribes acked {@code {"ok":true}} whose reply came as an event
	 */
	public int lateReplies() {
		return this.lateReplies;
	}

	/** Events skipped by its gaps: what it lost, where later events did arrive. */
	public long skipped() {
		return this.skipped;
	}

	public int duplicates() {
		return this.duplicates;
	}

	/**
	 * @param shared the shared channel or this client's own
	 * @return last offset seen on it
	 */
	public long last(boolean shared) {
		return this.positions[shared ? 1 : 0].last;
	}

	/**
	 * @return completes when the current connection closes (close code)
	 */
	public CompletableFuture<Integer> closed() {
		return this.browser.conn().closed();
	}

	/** Closes, bounded. */
	public void close() {
		Browser b = this.browser;
		if (b != null) {
			b.close();
			b.conn().closed().completeOnTimeout(-1, 5, TimeUnit.SECONDS);
		}
	}

}
