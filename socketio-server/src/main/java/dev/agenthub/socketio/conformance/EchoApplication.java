package dev.agenthub.socketio.conformance;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.engine.EioApplication;
import dev.agenthub.socketio.engine.EioFrame;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.engine.EioSessionHandler;

/** The Engine.IO test suite's server: every message is sent back as it came. */
public final class EchoApplication implements EioApplication {

	@Override
	public EioSessionHandler open(EioSession session) {
		return new EioSessionHandler() {

			@Override
			public void onMessage(String data) {
				session.send(EioFrame.message(data));
			}

			@Override
			public void onBinary(byte[] data) {
				session.send(EioFrame.binary(data));
			}

			@Override
			public void onClose(DisconnectReason reason) {
			}

		};
	}

}
