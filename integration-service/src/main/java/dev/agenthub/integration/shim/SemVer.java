package dev.agenthub.integration.shim;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.agenthub.contracts.error.ContractViolation;

/**
 * A Semantic Versioning 2.0.0 version. {@link #compareTo} orders by SemVer precedence
 * (numeric core, a pre-release below its release, pre-release identifiers compared
 * numerically or in ASCII order, fewer identifiers lower); build metadata does not count
 * for precedence, so two versions that differ only there are ordered by their text to
 * keep the order total.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param preRelease pre-release identifiers, empty for a release
 * @param build build metadata, or {@code null}
 * @param text the version exactly as given
 */
public record SemVer(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease, String build,
		String text) implements Comparable<SemVer> {

	/** Longest accepted version string (the database column's width). */
	public static final int MAX_LENGTH = 128;

	// The regular expression suggested by semver.org.
	private static final Pattern PATTERN = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
			+ "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
			+ "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

	private static final Pattern NUMERIC = Pattern.compile("\\d+");

	public SemVer {
		preRelease = List.copyOf(preRelease);
	}

	/**
	 * Parses a version.
	 * @throws ContractViolation ({@code bad_request}) when it is not SemVer 2.0.0
	 */
	public static SemVer parse(String text) {
		if (text == null || text.isBlank()) {
			throw ContractViolation.badRequest("version is required (SemVer 2.0.0, e.g. 1.2.3)");
		}
		Matcher matcher = (text.length() <= MAX_LENGTH) ? PATTERN.matcher(text) : null;
		if (matcher == null || !matcher.matches()) {
			throw ContractViolation.badRequest("version '" + abbreviate(text)
					+ "' is not a SemVer 2.0.0 version (e.g. 1.2.3 or 1.3.0-rc.1), at most " + MAX_LENGTH
					+ " characters");
		}
		List<String> pre = (matcher.group(4) != null) ? List.of(matcher.group(4).split("\\.")) : List.of();
		return new SemVer(new BigInteger(matcher.group(1)), new BigInteger(matcher.group(2)),
				new BigInteger(matcher.group(3)), pre, matcher.group(5), text);
	}

	/** Whether the text is a valid version. */
	public static boolean isValid(String text) {
		return text != null && text.length() <= MAX_LENGTH && PATTERN.matcher(text).matches();
	}

	/** Whether this is a pre-release (e.g. {@code 1.0.0-rc.1}). */
	public boolean isPreRelease() {
		return !this.preRelease.isEmpty();
	}

	/** Compares by SemVer precedence only (0 for versions differing only in build). */
	public int comparePrecedence(SemVer other) {
		int core = this.major.compareTo(other.major);
		if (core == 0) {
			core = this.minor.compareTo(other.minor);
		}
		if (core == 0) {
			core = this.patch.compareTo(other.patch);
		}
		if (core != 0) {
			return core;
		}
		if (this.preRelease.isEmpty() || other.preRelease.isEmpty()) {
			// A release ranks above any of its pre-releases.
			return Boolean.compare(this.preRelease.isEmpty(), other.preRelease.isEmpty());
		}
		int common = Math.min(this.preRelease.size(), other.preRelease.size());
		for (int i = 0; i < common; i++) {
			int result = compareIdentifier(this.preRelease.get(i), other.preRelease.get(i));
			if (result != 0) {
				return result;
			}
		}
		return Integer.compare(this.preRelease.size(), other.preRelease.size());
	}

	@Override
	public int compareTo(SemVer other) {
		int precedence = comparePrecedence(other);
		return (precedence != 0) ? precedence : this.text.compareTo(other.text);
	}

	@Override
	public String toString() {
		return this.text;
	}

	private static int compareIdentifier(String left, String right) {
		boolean leftNumeric = NUMERIC.matcher(left).matches();
		boolean rightNumeric = NUMERIC.matcher(right).matches();
		if (leftNumeric && rightNumeric) {
			return new BigInteger(left).compareTo(new BigInteger(right));
		}
		if (leftNumeric || rightNumeric) {
			// Numeric identifiers always have lower precedence than alphanumeric ones.
			return leftNumeric ? -1 : 1;
		}
		return left.compareTo(right);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "...";
	}

}
