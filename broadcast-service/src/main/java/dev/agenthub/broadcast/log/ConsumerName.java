package dev.agenthub.broadcast.log;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * This replica's name in the log feed's consumer group. Each replica needs its own: the
 * group hands every entry to one consumer, keeps it pending at that consumer until it is
 * acknowledged, and gives it back to that consumer after a restart (or to another live
 * consumer once it has been idle too long).
 */
final class ConsumerName {

	private ConsumerName() {
	}

	/**
	 * The configured name; else {@code HOSTNAME} (the pod name in Kubernetes: stable
	 * across restarts of the pod's container, distinct per replica); else the host name
	 * and the process id (several replicas may share a machine).
	 * @param configured {@code hub.log.consumer}, possibly blank
	 * @param environment the process environment
	 */
	static String resolve(String configured, Map<String, String> environment) {
		if (configured != null && !configured.isBlank()) {
			return configured.strip();
		}
		String hostname = environment.get("HOSTNAME");
		if (hostname != null && !hostname.isBlank()) {
			return hostname.strip();
		}
		return localHostName() + "-" + ProcessHandle.current().pid();
	}

	private static String localHostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			// No name resolution: the pid alone still tells this process apart on the
			// host.
			return "broadcast";
		}
	}

}
