package dev.agenthub.shim.pipe;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.shim.lifecycle.ExitReason;
import dev.agenthub.shim.lifecycle.ShimLifecycle;
import dev.agenthub.shim.relay.CdpMessages;
import dev.agenthub.shim.remote.RemoteChrome;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Bridges {@code --remote-debugging-pipe} to the remote browser target's WebSocket: each
 * NUL-terminated message read from fd 3 becomes one text frame, each message from the
 * browser is written to fd 4 followed by a NUL.
 * <p>
 * The descriptors block, so each direction has its own daemon thread; reads happen only
 * as the WebSocket asks for more, and at most {@value #WRITE_AHEAD} browser messages wait
 * for fd 4, so a slow client slows the socket down instead of filling memory.
 */
public final class PipeBridge {

	static final int WRITE_AHEAD = 16;

	static final int READ_AHEAD = 16;

	private final RemoteChrome remote;

	private final String browserPath;

	private final ShimLifecycle lifecycle;

	private final PipeDescriptors pipes;

	public PipeBridge(RemoteChrome remote, String browserPath, ShimLifecycle lifecycle, PipeDescriptors pipes) {
		this.remote = remote;
		this.browserPath = browserPath;
		this.lifecycle = lifecycle;
		this.pipes = pipes;
	}

	/**
	 * Connects to the remote browser and starts bridging; the outcome is reported to the
	 * lifecycle: the client closing fd 3 ends the shim normally, the remote hanging up
	 * ends it as the remote going away unless {@code Browser.close} was relayed.
	 * @return a handle that stops the bridge
	 */
	public Disposable start() {
		Scheduler reader = Schedulers.newSingle("cdp-pipe-reader", true);
		Scheduler writer = Schedulers.newSingle("cdp-pipe-writer", true);
		AtomicBoolean clientClosed = new AtomicBoolean();
		NulDelimitedReader messages = new NulDelimitedReader(this.pipes.in(), RemoteChrome.MAX_MESSAGE_BYTES);
		OutputStream out = new BufferedOutputStream(this.pipes.out(), 64 * 1024);
		Disposable bridge = this.remote.webSocket(this.browserPath).handle((remoteIn, remoteOut) -> {
			Flux<byte[]> fromClient = Flux.<byte[]>generate((sink) -> {
				try {
					byte[] message = messages.next();
					if (message == null) {
						clientClosed.set(true);
						sink.complete();
					}
					else {
						sink.next(message);
					}
				}
				catch (IOException ex) {
					sink.error(new UncheckedIOException("reading fd 3 failed: " + ex.getMessage(), ex));
				}
			}).subscribeOn(reader).limitRate(READ_AHEAD);
			Mono<Void> toBrowser = remoteOut.sendObject(fromClient.map((message) -> {
				if (CdpMessages.isBrowserClose(message)) {
					this.lifecycle.browserCloseRequested();
				}
				return new TextWebSocketFrame(Unpooled.wrappedBuffer(message));
			})).then().then(Mono.fromRunnable(() -> {
				// The send also completes when the remote hangs up; only EOF on fd 3 is
				// the client leaving.
				if (clientClosed.get()) {
					this.lifecycle.exit(ExitReason.pipeClosed());
				}
				else {
					remoteEnded();
				}
			}));
			Mono<Void> toClient = remoteIn.aggregateFrames(RemoteChrome.MAX_MESSAGE_BYTES)
				.receiveFrames()
				.filter((frame) -> frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
				.map((frame) -> ByteBufUtil.getBytes(frame.content()))
				.publishOn(writer, WRITE_AHEAD)
				.doOnNext((message) -> write(out, message))
				.then(Mono.fromRunnable(this::remoteEnded));
			return Mono.firstWithSignal(toBrowser, toClient);
		}).then().subscribe(null, this::failed);
		return () -> {
			bridge.dispose();
			reader.dispose();
			writer.dispose();
		};
	}

	private void remoteEnded() {
		if (this.lifecycle.browserClosing()) {
			this.lifecycle.exit(ExitReason.browserClosed());
		}
		else {
			this.lifecycle.exit(ExitReason.remoteGone("the remote browser at " + this.remote.endpoint().authority()
					+ " closed the connection behind --remote-debugging-pipe; did the remote Chrome exit?"));
		}
	}

	private void failed(Throwable error) {
		if (error instanceof UncheckedIOException io) {
			this.lifecycle.exit(ExitReason.pipeFailed(io.getMessage()));
		}
		else if (this.lifecycle.browserClosing()) {
			this.lifecycle.exit(ExitReason.browserClosed());
		}
		else {
			this.lifecycle.exit(ExitReason.remoteGone(
					"the pipe bridge lost the remote browser at " + this.remote.endpoint().authority() + ": " + error));
		}
	}

	private static void write(OutputStream out, byte[] message) {
		try {
			out.write(message);
			out.write(0);
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("writing fd 4 failed: " + ex.getMessage(), ex);
		}
	}

}
