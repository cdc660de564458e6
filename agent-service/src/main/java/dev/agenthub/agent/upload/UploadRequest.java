package dev.agenthub.agent.upload;

import java.util.regex.Pattern;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;

/**
 * What to upload where (every field untrusted until {@link #validate}, which
 * {@link UploadService#upload} calls).
 *
 * @param workspaceId the workspace
 * @param path the target path in the container
 * @param mode the octal mode, e.g. {@code 0600}
 * @param sha256 the client's SHA-256 of the file, or {@code null}
 * @param size the announced length, or -1
 * @param requestedBy who asks
 */
public record UploadRequest(String workspaceId, String path, String mode, String sha256, long size,
		String requestedBy) {

	private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

	private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

	void validate() {
		Channel.workspace(this.workspaceId);
		if (this.path == null || this.path.isBlank() || this.path.length() > 4096 || this.path.indexOf('\0') >= 0) {
			throw ContractViolation.badRequest("path is required (at most 4096 characters)");
		}
		if (this.mode == null || !MODE.matcher(this.mode).matches()) {
			throw ContractViolation.badRequest("mode must be octal such as 0600 or 644");
		}
		if (this.sha256 != null && !SHA256.matcher(this.sha256).matches()) {
			throw ContractViolation.badRequest("sha256 must be 64 hex digits");
		}
	}

}
