package dev.agenthub.sidecar.git;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file in a {@link GitStatus}.
 *
 * @param path the path relative to the repository root
 * @param status one of {@code modified}, {@code added}, {@code deleted}, {@code renamed},
 * {@code copied}, {@code type_changed}, {@code untracked}, {@code conflicted}
 * @param xy git's two-letter code (index, worktree; {@code .} unchanged, {@code ??}
 * untracked)
 * @param staged whether the change is in the index
 * @param origPath the path before a rename or copy, or {@code null}
 */
public record GitFile(String path, String status, String xy, boolean staged, String origPath) {

	Map<String, Object> toEventData() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("path", this.path);
		data.put("status", this.status);
		data.put("xy", this.xy);
		data.put("staged", this.staged);
		if (this.origPath != null) {
			data.put("origPath", this.origPath);
		}
		return data;
	}

}
