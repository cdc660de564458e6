package dev.agenthub.gateway.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A user's subject as a part of an engine key: the first 16 bytes of its SHA-256, in hex.
 * Fixed in length whatever the subject, and no character of the subject (a {@code :}, a
 * {@code {…}} that would pick a Redis Cluster slot) reaches the key.
 */
public final class SubjectHash {

	private SubjectHash() {
	}

	public static String of(String subject) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
