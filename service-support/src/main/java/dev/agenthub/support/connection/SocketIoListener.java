package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketListener;
import dev.agenthub.support.auth.HubPrincipal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.BaseSubscriber;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

/**
 * One Socket.IO socket of a {@link ConnectionServer}: its events go through the same
 * pipeline as a raw WebSocket's frames, in order, one at a time, after the connection
 * opened.
 * <p>
 * The events wait in a queue of their own, made when the first has to wait, and run one
 * after the other on whichever thread ends the one before (a loop, not a recursion, when
 * handlings complete at once). A sink, a cached open and an operator chain did the same
 * and kept 0.3 KB per idle socket for its life.
 *
 * @param <S> the ingress's session type
 */
final class SocketIoListener<S> implements SocketListener {

	private static final Logger logger = LoggerFactory.getLogger(SocketIoListener.class);

	/**
	 * Socket.IO events waiting for the pipeline from which the engine stops reading the
	 * client (flow control, as a raw socket is not read while its frame is handled): a
	 * WebSocket then brings at most the frames it had asked for, a long-polling POST is
	 * answered only once the inbox emptied.
	 */
	static final int HOLD_AT = 32;

	/**
	 * Events waiting at most; more means a client that ignores flow control (a WebSocket
	 * cannot; one POST brings at most its payload limit of packets).
	 */
	static final int SOCKET_IO_INBOX = 16_384;

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<SocketIoListener.Step> STATE = AtomicIntegerFieldUpdater
		.newUpdater(SocketIoListener.Step.class, "state");

	private final ConnectionServer<S> server;

	private final HubPrincipal principal;

	private final @Nullable Object context;

	private Conversation<S> conversation;

	private SocketIoTransport transport;

	/** The socket (its id for the log). */
	private SioSocket socket;

	/** Events waiting for the one being handled; {@code null} while none waits. */
	private @Nullable ArrayDeque<Inbound> waiting;

	/** The open or an event is being handled (then events wait). */
	private boolean busy;

	/** Disconnected, or the open or a handling failed: nothing more is handled. */
	private boolean stopped;

	/** What is being handled (to cancel it on disconnect); guarded by this. */
	private @Nullable Step current;

	/**
	 * The engine's input is held (flow control: the client's transport stops being read)
	 * from {@link #HOLD_AT} events waiting, or one throttled, until none waits; guarded
	 * by this.
	 */
	private boolean holding;

	SocketIoListener(ConnectionServer<S> server, HubPrincipal principal, @Nullable Object context) {
		this.server = server;
		this.principal = principal;
		this.context = context;
	}

	@Override
	public void onConnect(SioSocket socket) {
		this.transport = new SocketIoTransport(socket, this.server.socketIoServer());
		Connection connection = new Connection(this.transport, this.server.ingress().limits(),
				this.server.ingress().events());
		this.conversation = new Conversation<>(this.server, connection, this.context);
		this.conversation.count(this.principal, true);
		this.server.register(connection);
		synchronized (this) {
			this.socket = socket;
			// events that come while it opens wait for it
			this.busy = true;
		}
		run(this.server.opening(connection, this.conversation.open(null)), true);
	}

	@Override
	public void onEvent(SioSocket socket, SioEvent event) {
		// The engine held the event to the transport's payload limit (one packet, its
		// attachments); the pipeline's frame limit applies to the packet as a whole.
		Inbound frame = Inbound.decoded(message(event), event.bytes());
		long admitted = this.conversation.admit(frame);
		if (admitted < 0) {
			return;
		}
		if (admitted > 0) {
			// Throttled: handled after the budget allows it. The engine stops reading the
			// client until what waits is handled, so TCP pushes back.
			frame = frame.after(admitted);
		}
		boolean now;
		boolean full = false;
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			if (!this.holding && (admitted > 0 || (this.waiting != null && this.waiting.size() >= HOLD_AT))) {
				this.holding = true;
				socket.holdInput();
			}
			now = !this.busy;
			if (now) {
				this.busy = true;
			}
			else {
				if (this.waiting == null) {
					this.waiting = new ArrayDeque<>(4);
				}
				full = this.waiting.size() >= SOCKET_IO_INBOX;
				if (!full) {
					this.waiting.addLast(frame);
				}
			}
		}
		if (full) {
			this.conversation.refuse(ErrorCode.RATE_LIMITED,
					"more than " + SOCKET_IO_INBOX + " events waiting; slow down", CloseCode.RATE_LIMITED);
		}
		else if (now) {
			run(handling(frame), false);
		}
	}

	private Mono<Void> handling(Inbound frame) {
		long wait = frame.waitNanos();
		return (wait > 0) ? Mono.delay(Duration.ofNanos(wait)).then(Mono.defer(() -> this.conversation.handle(frame)))
				: Mono.defer(() -> this.conversation.handle(frame));
	}

	/**
	 * Handles {@code work}, then what waits, one at a time: a handling that completes
	 * within its subscribe is followed here, in this loop; one that completes later
	 * continues the loop from its own thread. A failed handling stopped the socket, so
	 * nothing waits after it.
	 */
	private void run(@Nullable Mono<Void> work, boolean opening) {
		Mono<Void> next = work;
		boolean open = opening;
		while (next != null) {
			Step step = new Step(open);
			synchronized (this) {
				if (this.stopped) {
					return;
				}
				this.current = step;
			}
			next.subscribe(step);
			if (!step.endedInside()) {
				// its completion goes on
				return;
			}
			next = nextHandling();
			open = false;
		}
	}

	/**
	 * The handling of the next event waiting, or {@code null} (then the socket is idle).
	 */
	private @Nullable Mono<Void> nextHandling() {
		Inbound frame = nextWaiting();
		return (frame != null) ? handling(frame) : null;
	}

	private @Nullable Inbound nextWaiting() {
		Inbound frame;
		boolean release = false;
		synchronized (this) {
			frame = (this.stopped || this.waiting == null) ? null : this.waiting.pollFirst();
			if (frame == null) {
				this.busy = false;
				this.current = null;
				// an idle socket keeps no queue (most sockets wait once, while they open)
				this.waiting = null;
				release = this.holding;
				this.holding = false;
			}
		}
		// nothing waits any more: the client is read again
		releaseInput(release);
		return frame;
	}

	private void stop() {
		boolean release;
		synchronized (this) {
			this.stopped = true;
			this.waiting = null;
			release = this.holding;
			this.holding = false;
		}
		releaseInput(release);
	}

	/** Ends the hold on the engine's input, when there was one (outside the monitor). */
	private void releaseInput(boolean held) {
		if (held) {
			this.socket.releaseInput();
		}
	}

	private ClientMessage message(SioEvent event) {
		JsonNode data = event.args().isEmpty() ? null : event.args().get(0);
		if (data == null || data.isNull()) {
			data = HubJson.object();
		}
		Integer id = (event.ack() != null) ? this.transport.expectReply(event.ack()) : null;
		return new ClientMessage(event.name(), (id != null) ? IntNode.valueOf(id) : null, data);
	}

	@Override
	public void onDisconnect(SioSocket socket, DisconnectReason reason) {
		if (this.conversation == null) {
			return;
		}
		Step step;
		synchronized (this) {
			step = this.current;
			this.current = null;
		}
		stop();
		if (step != null) {
			step.dispose();
		}
		Connection connection = this.conversation.connection();
		if (reason == DisconnectReason.OUTBOUND_OVERFLOW) {
			this.server.ingress().events().slowReader();
		}
		this.transport.disconnected(reason);
		Mono<Void> ended = this.conversation.closed();
		this.server.forget(connection);
		ended.subscribe(null, (ex) -> logger.warn("Closing Socket.IO socket {} failed", socket.id(), ex));
	}

	/**
	 * One handling. Whether it ended within its subscribe or later decides who goes on:
	 * the loop in {@link #run}, or the handling's own completion.
	 */
	private final class Step extends BaseSubscriber<Void> {

		private static final int SUBSCRIBING = 0;

		private static final int ENDED_INSIDE = 1;

		private static final int LEFT = 2;

		private final boolean opening;

		private volatile int state = SUBSCRIBING;

		Step(boolean opening) {
			this.opening = opening;
		}

		/**
		 * Called once its subscribe returned: whether the handling ended within it (then
		 * the loop goes on); if not, its completion will.
		 */
		boolean endedInside() {
			return !STATE.compareAndSet(this, SUBSCRIBING, LEFT);
		}

		@Override
		protected void hookOnError(Throwable ex) {
			logger.warn((this.opening ? "Opening Socket.IO socket {} failed" : "Socket.IO socket {} failed"),
					SocketIoListener.this.socket.id(), ex);
			stop();
			ended();
		}

		@Override
		protected void hookOnComplete() {
			ended();
		}

		private void ended() {
			if (!STATE.compareAndSet(this, SUBSCRIBING, ENDED_INSIDE)) {
				// ended after its subscribe returned: on with what waits
				run(nextHandling(), false);
			}
		}

	}

}
