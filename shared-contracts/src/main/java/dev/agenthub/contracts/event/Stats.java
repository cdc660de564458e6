package dev.agenthub.contracts.event;

import tools.jackson.databind.JsonNode;

/**
 * {@code stats}: the container's resource use.
 *
 * @param cpu CPU use in percent (0-100, or more on several cores)
 * @param memory memory use (a number in percent or an object with used/total)
 * @param disk disk use (a number in percent or an object with used/total)
 */
public record Stats(Number cpu, JsonNode memory, JsonNode disk) implements EventPayload {

	public Stats {
		Check.range(cpu, "cpu", 0, 100_000);
		Check.present(memory, "memory");
		Check.present(disk, "disk");
	}

}
