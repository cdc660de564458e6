package dev.agenthub.gateway.socketio;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Where a disconnected Socket.IO socket's channel positions wait for its reconnect, keyed
 * by the {@code pid} its client holds. With Redis any gateway can resume the socket, also
 * after the one it was on restarted. A record is taken at most once.
 * <p>
 * A user keeps at most a set number of records (its share): every drop of a socket saves
 * one, so without a share one user dropping sockets again and again would fill the store
 * (and then nobody else's drop could be recovered) or grow Redis without bound. Past its
 * share a user's reconnects may not recover (they refetch state); other users' records
 * are untouched.
 */
public interface ResumeStore {

	/**
	 * Keeps a socket's record until {@code ttl} passes or it is taken, unless its user is
	 * past its share (then this record or the user's oldest is not kept).
	 * @param pid the socket's private id
	 * @param record the record
	 * @param ttl how long it is kept
	 */
	Mono<Void> save(String pid, ResumeRecord record, Duration ttl);

	/**
	 * Takes the record of {@code pid} saved for {@code subject} (it is gone afterwards);
	 * empty when unknown, expired, unreadable (written by an incompatible version: the
	 * client then starts afresh) or another user's. Another user's record stays where it
	 * is: whoever presents someone else's pid takes nothing and spoils nothing.
	 */
	Mono<ResumeRecord> take(String pid, String subject);

}
