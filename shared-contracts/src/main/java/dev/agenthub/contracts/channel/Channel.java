package dev.agenthub.contracts.channel;

import java.util.Objects;

import dev.agenthub.contracts.Limits;
import dev.agenthub.contracts.error.ContractViolation;

/**
 * A channel name: {@code workspace:{id}}, {@code agent:{id}}, {@code repository:{id}},
 * {@code conversation:{id}}, {@code task:{id}}, {@code user:{id}}, {@code client:{id}} or
 * {@code broadcast}. Ids are 1 to {@value Limits#MAX_ID_LENGTH} characters of letters,
 * digits, {@code - _ . @}.
 *
 * @param kind the kind of channel
 * @param id the id within the kind, {@code null} for {@link ChannelKind#BROADCAST}
 */
public record Channel(ChannelKind kind, String id) {

	/** The {@code broadcast} channel. */
	public static final Channel BROADCAST = new Channel(ChannelKind.BROADCAST, null);

	public Channel {
		Objects.requireNonNull(kind, "kind");
		if (kind.hasId()) {
			checkId(kind, id);
		}
		else if (id != null) {
			throw ContractViolation.badRequest("channel 'broadcast' takes no id");
		}
	}

	/** The channel {@code kind:id}. */
	public static Channel of(ChannelKind kind, String id) {
		return new Channel(kind, id);
	}

	public static Channel workspace(String id) {
		return new Channel(ChannelKind.WORKSPACE, id);
	}

	public static Channel user(String id) {
		return new Channel(ChannelKind.USER, id);
	}

	public static Channel client(String id) {
		return new Channel(ChannelKind.CLIENT, id);
	}

	public static Channel task(String id) {
		return new Channel(ChannelKind.TASK, id);
	}

	/**
	 * Parses and validates a channel name.
	 * @param name the name, e.g. {@code workspace:w1}
	 * @return the channel
	 * @throws ContractViolation naming what is wrong with the name
	 */
	public static Channel parse(String name) {
		if (name == null || name.isEmpty()) {
			throw ContractViolation.badRequest("channel is required");
		}
		if (name.length() > Limits.MAX_CHANNEL_LENGTH) {
			throw ContractViolation.badRequest("channel is longer than " + Limits.MAX_CHANNEL_LENGTH + " characters");
		}
		if (name.equals(ChannelKind.BROADCAST.prefix())) {
			return BROADCAST;
		}
		int colon = name.indexOf(':');
		if (colon < 0) {
			throw ContractViolation.badRequest("channel '" + name + "' is not of the form kind:id");
		}
		ChannelKind kind = ChannelKind.ofPrefix(name.substring(0, colon));
		if (kind == null || !kind.hasId()) {
			throw ContractViolation.badRequest("channel '" + name + "' has an unknown kind '" + name.substring(0, colon)
					+ "' (expected workspace, agent, repository, conversation, task, user, client or broadcast)");
		}
		return new Channel(kind, name.substring(colon + 1));
	}

	private static void checkId(ChannelKind kind, String id) {
		if (id == null || id.isEmpty()) {
			throw ContractViolation.badRequest("channel '" + kind.prefix() + ":' needs an id");
		}
		if (id.length() > Limits.MAX_ID_LENGTH) {
			throw ContractViolation.badRequest("channel id is longer than " + Limits.MAX_ID_LENGTH + " characters");
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			if (!idChar(c)) {
				throw ContractViolation.badRequest("channel id '" + id + "' has an invalid character '" + c
						+ "' (allowed: letters, digits, - _ . @)");
			}
		}
	}

	/**
	 * Whether {@code id} can be a channel's id (non-empty, at most
	 * {@link Limits#MAX_ID_LENGTH} of letters, digits, {@code - _ . @}): for ids a client
	 * names that must be refused quietly, not with an error.
	 */
	public static boolean isValidId(String id) {
		if (id == null || id.isEmpty() || id.length() > Limits.MAX_ID_LENGTH) {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			if (!idChar(id.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean idChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '.' || c == '@';
	}

	/** The channel's name on the wire. */
	public String name() {
		return (this.id != null) ? this.kind.prefix() + ":" + this.id : this.kind.prefix();
	}

	@Override
	public String toString() {
		return name();
	}

}
