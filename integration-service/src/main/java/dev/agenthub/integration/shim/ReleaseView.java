package dev.agenthub.integration.shim;

/**
 * A release as the API shows it.
 *
 * @param version its SemVer version
 * @param sha256 the SHA-256 of its bytes, lowercase hex
 * @param size its size in bytes
 * @param createdAt when it was first uploaded (ISO-8601)
 */
public record ReleaseView(String version, String sha256, long size, String createdAt) {

	static ReleaseView of(Release release) {
		return new ReleaseView(release.version().text(), release.sha256(), release.size(),
				release.createdAt().toString());
	}

}
