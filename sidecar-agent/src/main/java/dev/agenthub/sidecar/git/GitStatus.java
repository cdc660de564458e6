package dev.agenthub.sidecar.git;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repository's status as {@code git:status} reports it.
 *
 * @param branch the checked-out branch, or {@code (detached)} (as git prints it)
 * @param oid the HEAD commit, or {@code null} before the first commit
 * @param upstream the upstream branch, or {@code null}
 * @param ahead commits ahead of the upstream (0 without one)
 * @param behind commits behind the upstream (0 without one)
 * @param files changed, untracked and conflicted files
 */
public record GitStatus(String branch, String oid, String upstream, int ahead, int behind, List<GitFile> files) {

	public GitStatus {
		files = List.copyOf(files);
		if (branch == null || branch.isBlank()) {
			// the hub requires a branch; git always prints one, but be safe
			// with odd output
			branch = "(unknown)";
		}
	}

	/** At most this many files are listed, so the event stays well inside one frame. */
	public static final int MAX_FILES = 200;

	/**
	 * The {@code git:status} event data.
	 * @return {@code {branch, ahead, behind, files:[{path, status, ...}], fileCount,
	 * oid?, upstream?, truncated?}}
	 */
	public Map<String, Object> toEventData() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("branch", this.branch);
		data.put("ahead", this.ahead);
		data.put("behind", this.behind);
		data.put("files", this.files.stream().limit(MAX_FILES).map(GitFile::toEventData).toList());
		data.put("fileCount", this.files.size());
		if (this.files.size() > MAX_FILES) {
			data.put("truncated", true);
		}
		if (this.oid != null) {
			data.put("oid", this.oid);
		}
		if (this.upstream != null) {
			data.put("upstream", this.upstream);
		}
		return data;
	}

}
