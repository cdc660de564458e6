package dev.agenthub.integration.shim;

import java.time.Instant;

/**
 * A stored CDP shim release.
 *
 * @param version its SemVer version
 * @param sha256 the SHA-256 of its bytes, lowercase hex
 * @param size its size in bytes
 * @param createdAt when it was first uploaded
 */
public record Release(SemVer version, String sha256, long size, Instant createdAt) {

}
