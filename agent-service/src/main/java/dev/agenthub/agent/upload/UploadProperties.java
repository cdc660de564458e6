package dev.agenthub.agent.upload;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * File uploads ({@code hub.upload.*}).
 *
 * @param maxSize the largest file accepted ({@code HUB_UPLOAD_MAX_SIZE})
 * @param chunkSize the size of one piece sent to the agent (base64 in one frame, so well
 * under the agent's 64 KiB frame limit)
 * @param window pieces sent ahead of the agent's acknowledgements (at least 8: agents
 * acknowledge every 4th piece)
 * @param ackTimeout how long an acknowledgement or the result may take
 * @param perWorkspace uploads one workspace may have under way at once on a node
 * ({@code HUB_UPLOAD_PERWORKSPACE}; of the node's {@value UploadService#MAX_PENDING}), so
 * that one workspace cannot take every upload slot of a node and lock the others out; as
 * many as a sidecar agent writes at once
 * @param bodyIdle the longest the hub waits for the next bytes of a client's body while
 * it asks for them ({@code HUB_UPLOAD_BODY_IDLE}); time the upload holds the body back
 * (the agent acknowledging pieces) does not count. A body idle that long fails the upload
 * ({@code 408}) and gives its slots back, so a client that stops sending cannot hold them
 * (see {@link BodyPace})
 * @param bodyMinRate the least a body must bring per second of waiting, judged over each
 * period of {@code bodyIdle} waited on its own ({@code HUB_UPLOAD_BODY_MIN_RATE};
 * {@code 0} for no such rule), so a client trickling a byte just before each idle period
 * ends cannot hold a slot either, even after a burst
 */
@ConfigurationProperties("hub.upload")
public record UploadProperties(@DefaultValue("100MB") DataSize maxSize, @DefaultValue("32KB") DataSize chunkSize,
		@DefaultValue("16") int window, @DefaultValue("30s") Duration ackTimeout, @DefaultValue("4") int perWorkspace,
		@DefaultValue("30s") Duration bodyIdle, @DefaultValue("8KB") DataSize bodyMinRate) {

	public UploadProperties {
		if (maxSize.toBytes() < 1 || chunkSize.toBytes() < 1024 || chunkSize.toBytes() > 40 * 1024) {
			throw new IllegalArgumentException("hub.upload.max-size must be positive, chunk-size 1KB to 40KB");
		}
		if (window < 8 || window > 64) {
			throw new IllegalArgumentException("hub.upload.window must be between 8 and 64");
		}
		if (perWorkspace < 1 || perWorkspace > UploadService.MAX_PENDING) {
			throw new IllegalArgumentException(
					"hub.upload.per-workspace must be between 1 and " + UploadService.MAX_PENDING);
		}
		if (bodyIdle.compareTo(Duration.ofMillis(100)) < 0 || bodyIdle.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException("hub.upload.body-idle must be between 100ms and 1h");
		}
		if (bodyMinRate.toBytes() < 0) {
			throw new IllegalArgumentException("hub.upload.body-min-rate must not be negative (0: no minimum)");
		}
	}

}
