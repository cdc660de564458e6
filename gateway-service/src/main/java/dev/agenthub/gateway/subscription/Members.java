package dev.agenthub.gateway.subscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The members of a channel on this node, each with its state: none, one (held as is), or
 * a map by member once a second joins, back to one when all but one left. Most channels
 * of a node have one member — a connection's own {@code user:} and {@code client:}, often
 * its workspace — and a concurrent map for one costs ~150 bytes of every idle
 * connection's heap.
 * <p>
 * Changed by one thread at a time (the caller's lock); read at any time without a lock:
 * {@link #forEachMember} sees the members as they were when it started, or as a map being
 * changed (a member added or removed meanwhile may or may not be seen). Members are told
 * apart by identity: their type must not override {@code equals} (a session does not).
 *
 * @param <K> the member type
 * @param <V> the state kept per member
 */
abstract class Members<K, V> {

	/** {@code null}, a {@link One}, or a {@link ConcurrentHashMap} of two or more. */
	private volatile Object members;

	/** Adds a member, or gives a member a new state. */
	@SuppressWarnings("unchecked")
	final void add(K member, V state) {
		Object current = this.members;
		if (current == null || (current instanceof One<?, ?> one && one.member == member)) {
			this.members = new One<>(member, state);
		}
		else if (current instanceof One<?, ?> one) {
			Map<K, V> map = new ConcurrentHashMap<>(4);
			map.put((K) one.member, (V) one.state);
			map.put(member, state);
			this.members = map;
		}
		else {
			((Map<K, V>) current).put(member, state);
		}
	}

	/**
	 * Removes a member.
	 * @return whether it was one
	 */
	@SuppressWarnings("unchecked")
	final boolean remove(K member) {
		Object current = this.members;
		if (current == null) {
			return false;
		}
		if (current instanceof One<?, ?> one) {
			if (one.member != member) {
				return false;
			}
			this.members = null;
			return true;
		}
		Map<K, V> map = (Map<K, V>) current;
		if (map.remove(member) == null) {
			return false;
		}
		if (map.size() == 1) {
			Map.Entry<K, V> last = map.entrySet().iterator().next();
			this.members = new One<>(last.getKey(), last.getValue());
		}
		return true;
	}

	final boolean isEmpty() {
		return this.members == null;
	}

	@SuppressWarnings("unchecked")
	final int size() {
		Object current = this.members;
		if (current == null) {
			return 0;
		}
		return (current instanceof One) ? 1 : ((Map<K, V>) current).size();
	}

	/** Runs an action for every member. */
	@SuppressWarnings("unchecked")
	final void forEachMember(BiConsumer<? super K, ? super V> action) {
		Object current = this.members;
		if (current instanceof One<?, ?> one) {
			action.accept((K) one.member, (V) one.state);
		}
		else if (current != null) {
			((Map<K, V>) current).forEach(action);
		}
	}

	private record One<K, V>(K member, V state) {

	}

}
