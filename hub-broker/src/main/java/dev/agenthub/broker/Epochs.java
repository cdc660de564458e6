package dev.agenthub.broker;

import java.security.SecureRandom;

/** Makes epoch strings: short, random, URL- and JSON-safe. */
public final class Epochs {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

	/** Recently seen epochs, one per slot by hash: fixed size, whatever is read. */
	private static final String[] SEEN = new String[1024];

	private Epochs() {
	}

	/**
	 * The instance of an epoch read before, when it is still remembered, else this one
	 * (remembered from now on). Every connection keeps the epoch of each channel it is
	 * on; read from the engine per subscription, one channel's epoch would be a new
	 * string for each of them (a virtual epoch is shared by every implicit channel). A
	 * fixed table, so no input grows it; a race between two threads only costs a copy.
	 */
	public static String shared(String epoch) {
		int slot = epoch.hashCode() & (SEEN.length - 1);
		String seen = SEEN[slot];
		if (epoch.equals(seen)) {
			return seen;
		}
		SEEN[slot] = epoch;
		return epoch;
	}

	/**
	 * A new random epoch of 10 characters. Every publish makes one (the engine keeps it
	 * only when the channel has none), so it costs one draw of 52 random bits, not one
	 * per character: {@link SecureRandom} is synchronized and slow, and ten draws per
	 * publish were 2 % of the hub's CPU.
	 */
	public static String next() {
		long bits = RANDOM.nextLong() >>> 12;
		char[] out = new char[10];
		for (int i = 0; i < out.length; i++) {
			out[i] = ALPHABET[(int) Long.remainderUnsigned(bits, ALPHABET.length)];
			bits = Long.divideUnsigned(bits, ALPHABET.length);
		}
		return new String(out);
	}

}
