package dev.agenthub.sidecar.process;

import java.util.Map;
import java.util.Set;

/**
 * The environment a command or tab starts with: only an allow-list of the sidecar's own
 * variables ({@code PATH}, {@code HOME}, {@code USER}, {@code SHELL}, {@code LANG},
 * {@code LC_*}, {@code TERM}, {@code TZ}) plus the variables the request names. The agent
 * token and every other setting of the sidecar ({@code HUB_AGENT_*}, anything else in its
 * environment) never reach a child: whoever may run a command in a workspace must not be
 * able to read the agent's credentials with {@code printenv}.
 */
public final class ChildEnvironment {

	/** Variables inherited from the sidecar's environment, besides {@code LC_*}. */
	public static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "SHELL", "LANG", "TERM", "TZ");

	private ChildEnvironment() {
	}

	/**
	 * Replaces a process builder's environment with the allowed part of the sidecar's.
	 * @param builder the process about to start
	 * @param requested the request's own variables (added after the inherited ones; may
	 * be {@code null})
	 * @return the builder
	 */
	public static ProcessBuilder apply(ProcessBuilder builder, Map<String, String> requested) {
		return apply(builder, System.getenv(), requested);
	}

	/**
	 * Replaces a process builder's environment with the allowed part of {@code parent}.
	 * @param builder the process about to start
	 * @param parent the environment to inherit from
	 * @param requested the request's own variables (may be {@code null})
	 * @return the builder
	 */
	public static ProcessBuilder apply(ProcessBuilder builder, Map<String, String> parent,
			Map<String, String> requested) {
		Map<String, String> environment = builder.environment();
		environment.clear();
		parent.forEach((name, value) -> {
			if (inherited(name)) {
				environment.put(name, value);
			}
		});
		if (requested != null) {
			environment.putAll(requested);
		}
		return builder;
	}

	/**
	 * Whether a variable of the sidecar's environment passes to children.
	 * @param name the variable
	 * @return {@code true} for the allow-list
	 */
	public static boolean inherited(String name) {
		return INHERITED.contains(name) || name.startsWith("LC_");
	}

}
