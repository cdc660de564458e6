package dev.agenthub.gateway.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The console's links and bounds ({@code hub.console.*}).
 *
 * @param integrationUrl integration-service's base URL (Tailscale devices, CDP shim
 * releases) for the operator view
 * @param timeout time limit of one request to another service
 * @param maxRows most rows of any list the operator view gets (channels, workspaces)
 * @param lagProbeChannels most workspace channels whose durable log is compared with the
 * engine to tell the log writer's lag
 * @param uploadMaxSize the largest file the console's upload proxy passes on to
 * agent-service: by default agent-service's own {@code hub.upload.max-size} (100 MB;
 * {@code gateway-service.properties} refers to it), so that one setting bounds both; a
 * larger {@code Content-Length} is refused before the body is read, a body without one is
 * cut off as soon as it passes this
 * @param uploadTimeout time limit of one upload through the console, body and answer
 */
@ConfigurationProperties("hub.console")
public record ConsoleProperties(@DefaultValue("http://localhost:8083") String integrationUrl,
		@DefaultValue("5s") Duration timeout, @DefaultValue("200") int maxRows,
		@DefaultValue("20") int lagProbeChannels, @DefaultValue("100MB") DataSize uploadMaxSize,
		@DefaultValue("10m") Duration uploadTimeout) {

}
