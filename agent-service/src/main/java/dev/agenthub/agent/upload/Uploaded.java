package dev.agenthub.agent.upload;

/**
 * An upload that reached its place.
 *
 * @param taskId the upload's id (its events are on {@code task:{taskId}})
 * @param workspaceId the workspace
 * @param path where the agent wrote it
 * @param size its size in bytes
 * @param sha256 its SHA-256 (lowercase hex)
 * @param mode its mode
 */
public record Uploaded(String taskId, String workspaceId, String path, long size, String sha256, String mode) {

}
