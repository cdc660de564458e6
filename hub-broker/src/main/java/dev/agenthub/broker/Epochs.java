package dev.agenthub.broker;

import java.security.SecureRandom;

/** Makes epoch strings: short, random, URL- and JSON-safe. */
public final class Epochs {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

	private Epochs() {
	}

	/** A new random epoch of 10 characters. */
	public static String next() {
		char[] out = new char[10];
		for (int i = 0; i < out.length; i++) {
			out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
		}
		return new String(out);
	}

}
