package dev.agenthub.integration.tailscale;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.agenthub.contracts.error.ContractViolation;

/**
 * Tailscale's rules for tags, key descriptions and host names, and how workspaces map to
 * them.
 */
final class TailscaleNames {

	/**
	 * Tailscale's tag syntax: {@code tag:} then a letter, then letters, digits and
	 * hyphens.
	 */
	static final Pattern TAG = Pattern.compile("^tag:[A-Za-z][A-Za-z0-9-]*$");

	/** Most tags accepted on one key. */
	static final int MAX_TAGS = 16;

	/** Tailscale's limit on a key description. */
	static final int MAX_DESCRIPTION = 50;

	private static final Pattern WORKSPACE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");

	/** A workspace id used as its own label: no {@code --}, no edge hyphen, lowercase. */
	private static final Pattern PLAIN = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");

	/** Longest id used as its own label (prefix and label stay within a DNS label). */
	static final int MAX_PLAIN = 40;

	private static final int MAX_READABLE = 24;

	private TailscaleNames() {
	}

	/** Checks tags against Tailscale's syntax, naming the first bad one. */
	static List<String> validateTags(List<String> tags) {
		if (tags.size() > MAX_TAGS) {
			throw ContractViolation.badRequest("at most " + MAX_TAGS + " tags are allowed");
		}
		for (String tag : tags) {
			if (tag == null || !TAG.matcher(tag).matches()) {
				throw ContractViolation.badRequest("tag '" + tag
						+ "' is not a Tailscale tag: 'tag:' then a letter, then letters, digits or hyphens");
			}
		}
		return List.copyOf(tags);
	}

	/**
	 * Whether a workspace id can name hosts and tags: 1-128 letters, digits, {@code .},
	 * {@code _}, {@code :} or {@code -}, a letter or digit first.
	 */
	static boolean isWorkspace(String workspaceId) {
		return workspaceId != null && WORKSPACE.matcher(workspaceId).matches();
	}

	/** Checks a workspace id as {@link #isWorkspace} does. */
	static String validateWorkspace(String workspaceId) {
		if (!isWorkspace(workspaceId)) {
			throw ContractViolation.badRequest("workspaceId is required: 1-128 letters, digits, '.', '_', ':' or '-'");
		}
		return workspaceId;
	}

	/**
	 * The workspace id as a DNS label part, distinct for distinct ids: an id that is
	 * already a plain label ({@code [a-z0-9]} runs joined by single hyphens, at most
	 * {@value #MAX_PLAIN} characters) is itself; any other is a readable rendering, then
	 * {@code --}, then 16 hex digits of its SHA-256. A plain label never holds
	 * {@code --}, so {@code Acme}, {@code acme.} and {@code ACME} can neither share a
	 * name with each other nor with {@code acme}.
	 */
	static String label(String workspaceId) {
		if (workspaceId.length() <= MAX_PLAIN && PLAIN.matcher(workspaceId).matches()) {
			return workspaceId;
		}
		String readable = workspaceId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (readable.length() > MAX_READABLE) {
			readable = readable.substring(0, MAX_READABLE).replaceAll("-+$", "");
		}
		return (readable.isEmpty() ? "x" : readable) + "--" + digest(workspaceId);
	}

	private static String digest(String workspaceId) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(workspaceId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/** The per-workspace tag, {@code tag:ws-<label>}. */
	static String workspaceTag(String workspaceId) {
		return "tag:ws-" + label(workspaceId);
	}

	/**
	 * A key description within Tailscale's rules (at most 50 letters, digits, hyphens and
	 * spaces): {@code hub <workspace> <repository>}, cut to fit.
	 */
	static String description(String workspaceId, String repository) {
		String text = "hub " + workspaceId + ((repository != null && !repository.isBlank()) ? " " + repository : "");
		String cleaned = text.replaceAll("[^A-Za-z0-9 -]", "-").replaceAll(" +", " ").trim();
		return (cleaned.length() > MAX_DESCRIPTION) ? cleaned.substring(0, MAX_DESCRIPTION).trim() : cleaned;
	}

}
