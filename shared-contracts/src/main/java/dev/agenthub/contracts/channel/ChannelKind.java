package dev.agenthub.contracts.channel;

/** The kinds of channel the hub knows, each with its name prefix. */
public enum ChannelKind {

	WORKSPACE("workspace"), AGENT("agent"), REPOSITORY("repository"), CONVERSATION("conversation"), TASK("task"),
	USER("user"), CLIENT("client"),
	/** The one channel every authenticated connection is on. */
	BROADCAST("broadcast");

	private final String prefix;

	ChannelKind(String prefix) {
		this.prefix = prefix;
	}

	/** The name prefix, e.g. {@code workspace}. */
	public String prefix() {
		return this.prefix;
	}

	/** Whether channels of this kind carry an id ({@code kind:id}). */
	public boolean hasId() {
		return this != BROADCAST;
	}

	static ChannelKind ofPrefix(String prefix) {
		for (ChannelKind kind : values()) {
			if (kind.prefix.equals(prefix)) {
				return kind;
			}
		}
		return null;
	}

}
