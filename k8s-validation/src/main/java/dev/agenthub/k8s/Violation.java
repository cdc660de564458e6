package dev.agenthub.k8s;

/**
 * A broken deployment rule.
 *
 * @param rule the rule's id (e.g. {@code probes}, {@code pdb})
 * @param resource {@code Kind/name} of the resource at fault
 * @param message what is wrong, for a person
 */
public record Violation(String rule, String resource, String message) {

	@Override
	public String toString() {
		return "[" + this.rule + "] " + this.resource + ": " + this.message;
	}

}
