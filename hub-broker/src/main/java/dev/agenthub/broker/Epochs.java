package dev.agenthub.broker;

import java.security.SecureRandom;

/** Makes epoch strings: short, random, URL- and JSON-safe. */
public final class Epochs {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

	private Epochs() {
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
