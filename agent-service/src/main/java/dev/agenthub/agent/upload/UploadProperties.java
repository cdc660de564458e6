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
 */
@ConfigurationProperties("hub.upload")
public record UploadProperties(@DefaultValue("100MB") DataSize maxSize, @DefaultValue("32KB") DataSize chunkSize,
		@DefaultValue("16") int window, @DefaultValue("30s") Duration ackTimeout, @DefaultValue("4") int perWorkspace) {

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
	}

}
