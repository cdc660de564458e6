package dev.agenthub.agentclient.protocol;

import java.time.Duration;

/**
 * How a connection ended.
 *
 * @param closeCode the close code the server sent, or {@code -1} when the connection
 * ended without one (refused, reset, handshake failure)
 * @param closeReason the close reason, or an empty string
 * @param error the failure, or {@code null}
 * @param registered whether the server had accepted the registration
 * @param registeredFor how long the connection stayed registered ({@link Duration#ZERO}
 * if never)
 */
public record DisconnectInfo(int closeCode, String closeReason, Throwable error, boolean registered,
		Duration registeredFor) {

}
