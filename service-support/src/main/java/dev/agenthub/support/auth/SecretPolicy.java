package dev.agenthub.support.auth;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which HS256 secrets a hub accepts. Any mode refuses one under
 * {@link HubAuthProperties#MIN_SECRET_BYTES} bytes; production also refuses the example
 * secrets the documentation shows (whoever read the README could mint admin tokens) and
 * secrets of visibly low entropy: made of one repeated unit, or whose characters carry
 * fewer than {@value #MIN_ENTROPY_BITS} bits by their own frequency (a password, a
 * sentence, {@code aaaa…}). {@code openssl rand -base64 48} passes.
 */
public final class SecretPolicy {

	/** Least estimated entropy, in bits, of a production secret. */
	public static final int MIN_ENTROPY_BITS = 128;

	/**
	 * Secrets published in this repository (README, {@code k8s/}, the test kit), and
	 * markers of placeholder text.
	 */
	static final List<String> PUBLISHED = List.of("change-me", "changeme", "replace-with", "replace-me", "example",
			"placeholder", "test-secret-0123456789", "your-secret", "secret-key");

	private SecretPolicy() {
	}

	/**
	 * Why a secret is refused, or {@code null} when it is accepted.
	 * @param secret the configured secret
	 * @param production whether this is a production start
	 * @return the reason, naming the setting but never the secret
	 */
	public static String problem(String secret, boolean production) {
		if (secret == null || secret.isEmpty()) {
			return "HUB_AUTH_JWT_SECRET is not set";
		}
		if (secret.getBytes(StandardCharsets.UTF_8).length < HubAuthProperties.MIN_SECRET_BYTES) {
			return "HUB_AUTH_JWT_SECRET is shorter than " + HubAuthProperties.MIN_SECRET_BYTES + " bytes";
		}
		if (!production) {
			return null;
		}
		String lower = secret.toLowerCase(Locale.ROOT);
		for (String published : PUBLISHED) {
			if (lower.contains(published)) {
				return "HUB_AUTH_JWT_SECRET is an example or placeholder secret; generate one (openssl rand -base64 48)";
			}
		}
		if (repeatsAUnit(secret)) {
			return "HUB_AUTH_JWT_SECRET repeats one short unit; generate one (openssl rand -base64 48)";
		}
		if (entropyBits(secret) < MIN_ENTROPY_BITS) {
			return "HUB_AUTH_JWT_SECRET has too little entropy (under " + MIN_ENTROPY_BITS
					+ " bits); generate one (openssl rand -base64 48)";
		}
		return null;
	}

	/**
	 * The secret's length times the Shannon entropy of its character frequencies: an
	 * upper bound of its real entropy, so a low value proves a weak secret.
	 * @param secret the secret
	 * @return bits
	 */
	static double entropyBits(String secret) {
		Map<Integer, Integer> counts = new HashMap<>();
		secret.codePoints().forEach((c) -> counts.merge(c, 1, Integer::sum));
		int length = secret.codePointCount(0, secret.length());
		double perChar = 0;
		for (int count : counts.values()) {
			double p = (double) count / length;
			perChar -= p * Math.log(p) / Math.log(2);
		}
		return perChar * length;
	}

	private static boolean repeatsAUnit(String secret) {
		int length = secret.length();
		for (int unit = 1; unit <= length / 2; unit++) {
			if (length % unit == 0 && secret.substring(unit).equals(secret.substring(0, length - unit))) {
				return true;
			}
		}
		return false;
	}

}
