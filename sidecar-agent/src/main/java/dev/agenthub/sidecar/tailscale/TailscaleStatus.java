package dev.agenthub.sidecar.tailscale;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container's Tailscale node as {@code tailscale:status} reports it.
 *
 * @param ip the node's first Tailscale IP, or {@code null}
 * @param hostname the node's host name, or {@code null}
 * @param online whether the node is up and connected
 */
public record TailscaleStatus(String ip, String hostname, boolean online) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Parses {@code tailscale status --json}: {@code Self.TailscaleIPs[0]},
	 * {@code Self.HostName}, and online when {@code BackendState} is {@code Running} and
	 * {@code Self.Online} is not false.
	 * @param json the command's output
	 * @return the status
	 * @throws IllegalArgumentException when it is not such JSON
	 */
	public static TailscaleStatus parse(String json) {
		JsonNode root;
		try {
			root = JSON.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("not tailscale status JSON: " + ex.getOriginalMessage());
		}
		if (!root.isObject()) {
			throw new IllegalArgumentException("not tailscale status JSON");
		}
		JsonNode self = root.path("Self");
		JsonNode ips = self.path("TailscaleIPs");
		String ip = (ips.isArray() && !ips.isEmpty()) ? ips.get(0).asString() : null;
		String hostname = self.path("HostName").asString(null);
		boolean online = "Running".equals(root.path("BackendState").asString(""))
				&& self.path("Online").asBoolean(true);
		return new TailscaleStatus(ip, hostname, online);
	}

	/**
	 * The event data.
	 * @return {@code {ip, hostname, online}}
	 */
	public Map<String, Object> toEventData() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("ip", this.ip);
		data.put("hostname", this.hostname);
		data.put("online", this.online);
		return data;
	}

}
