package dev.agenthub.contracts.event;

/**
 * {@code tailscale:status}: the container's Tailscale node.
 *
 * @param ip its tailnet address; {@code null} when not up
 * @param hostname its tailnet host name
 * @param online whether it is online
 */
public record TailscaleStatus(String ip, String hostname, Boolean online) implements EventPayload {

	public TailscaleStatus {
		Check.present(online, "online");
	}

}
