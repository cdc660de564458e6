package dev.agenthub.socketio.namespace;

import java.util.Map;

import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.socketio.SocketIoMetrics;
import dev.agenthub.socketio.engine.EioApplication;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.engine.EioSessionHandler;
import reactor.core.scheduler.Scheduler;

/** Runs the Socket.IO protocol on every Engine.IO session of an endpoint. */
public final class SocketIoApplication implements EioApplication {

	private final Map<String, NamespaceHandler> handlers;

	private final SocketIoMetrics metrics;

	private final Scheduler timer;

	public SocketIoApplication(Map<String, NamespaceHandler> handlers, SocketIoMetrics metrics, Scheduler timer) {
		this.handlers = Map.copyOf(handlers);
		this.metrics = metrics;
		this.timer = timer;
	}

	@Override
	public EioSessionHandler open(EioSession session) {
		return new SioClient(session, this.handlers, this.metrics, this.timer);
	}

}
