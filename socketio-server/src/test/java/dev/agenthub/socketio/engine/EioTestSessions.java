package dev.agenthub.socketio.engine;

import java.util.function.Consumer;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import reactor.core.scheduler.Scheduler;

/**
 * Sessions for engine tests: handlers that ignore messages and report how they closed.
 */
final class EioTestSessions {

	private EioTestSessions() {
	}

	static EioSessions sessions(SocketIoConfig config, Scheduler timer, Consumer<DisconnectReason> closed) {
		return new EioSessions(config, (s) -> new EioSessionHandler() {

			@Override
			public void onMessage(String data) {
			}

			@Override
			public void onBinary(byte[] data) {
			}

			@Override
			public void onClose(DisconnectReason reason) {
				closed.accept(reason);
			}

		}, SocketIoMetrics.NOOP, timer);
	}

}
