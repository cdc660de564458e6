package dev.agenthub.gateway.socketio;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Where a disconnected Socket.IO socket's channel positions wait for its reconnect, keyed
 * by the {@code pid} its client holds. With Redis any gateway can resume the socket, also
 * after the one it was on restarted. A record is taken at most once.
 */
public interface ResumeStore {

	/**
	 * Keeps a socket's record until {@code ttl} passes or it is taken.
	 * @param pid the socket's private id
	 * @param record the record
	 * @param ttl how long it is kept
	 */
	Mono<Void> save(String pid, ResumeRecord record, Duration ttl);

	/**
	 * Takes a record (it is gone afterwards); empty when unknown, expired or unreadable
	 * (written by an incompatible version: the client then starts afresh).
	 */
	Mono<ResumeRecord> take(String pid);

}
