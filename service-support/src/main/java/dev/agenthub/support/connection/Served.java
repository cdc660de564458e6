package dev.agenthub.support.connection;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One raw connection served to its end, without an operator chain that lives as long as
 * it does (a when, an error resume, a then and a finally cost an idle connection some 300
 * bytes): it ends once its frames ended and its output drained — at once when the frames
 * failed — then the conversation closes and the node forgets the connection.
 */
final class Served implements CoreSubscriber<Void> {

	private final Connection connection;

	private final WebSocketTransport transport;

	private final Conversation<?> conversation;

	private final Disposable authentication;

	/** Forgets the connection once it ended. */
	private final ConnectionServer<?> server;

	/** What the socket's handler waits for. */
	private final Sinks.Empty<Void> done = Sinks.empty();

	/** Guarded by this. */
	private boolean inputEnded;

	private boolean outputEnded;

	private boolean finished;

	Served(Connection connection, WebSocketTransport transport, Conversation<?> conversation, Disposable authentication,
			ConnectionServer<?> server) {
		this.connection = connection;
		this.transport = transport;
		this.conversation = conversation;
		this.authentication = authentication;
		this.server = server;
	}

	Mono<Void> done() {
		return this.done.asMono();
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(Void nothing) {
	}

	@Override
	public void onError(Throwable error) {
		if (FrameFaults.refuse(error, this.conversation)) {
			// the input ends with the channel, which the refusal's close frame closes
			this.transport.onChannelClosed(() -> inputEnded(false));
			return;
		}
		inputEnded(true);
	}

	@Override
	public void onComplete() {
		inputEnded(false);
	}

	private void inputEnded(boolean failed) {
		this.connection.markClosed();
		this.transport.closedByPeer();
		end(true, failed);
	}

	void outputEnded() {
		end(false, false);
	}

	private void end(boolean input, boolean now) {
		synchronized (this) {
			if (input) {
				this.inputEnded = true;
			}
			else {
				this.outputEnded = true;
			}
			if (this.finished || !(now || (this.inputEnded && this.outputEnded))) {
				return;
			}
			this.finished = true;
		}
		Mono<Void> ended;
		try {
			this.authentication.dispose();
			// the session's end is handled (eagerly, by the gateway) before a drain
			// can see the node empty
			ended = this.conversation.closed();
		}
		catch (RuntimeException ex) {
			ended = Mono.error(ex);
		}
		finally {
			this.server.forget(this.connection);
		}
		ended.subscribe(null, this.done::tryEmitError, this.done::tryEmitEmpty);
	}

}
