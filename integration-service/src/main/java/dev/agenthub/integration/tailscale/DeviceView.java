package dev.agenthub.integration.tailscale;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A tailnet device as the hub shows it.
 *
 * @param id the preferred id ({@code nodeId}, else the legacy {@code id})
 * @param name the MagicDNS name
 * @param hostname the machine name
 * @param tags its tags
 * @param ephemeral whether it is ephemeral
 * @param addresses its tailnet addresses
 * @param online whether it is connected to the control server
 * @param lastSeen when it was last connected, or {@code null}
 */
public record DeviceView(String id, String name, String hostname, List<String> tags, boolean ephemeral,
		List<String> addresses, boolean online, String lastSeen) {

	static DeviceView of(JsonNode device) {
		String nodeId = text(device, "nodeId");
		return new DeviceView((nodeId != null && !nodeId.isEmpty()) ? nodeId : text(device, "id"), text(device, "name"),
				text(device, "hostname"), strings(device.get("tags")), device.path("isEphemeral").asBoolean(false),
				strings(device.get("addresses")), device.path("connectedToControl").asBoolean(false),
				text(device, "lastSeen"));
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		if (array != null && array.isArray()) {
			for (JsonNode value : array) {
				values.add(value.asString());
			}
		}
		return List.copyOf(values);
	}

}
