package dev.agenthub.agent.upload;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each workspace's share of this node's upload slots: a workspace holding its uploads
 * open (a client sending its bodies slowly, an agent acknowledging late) fills its own
 * share, never the whole node.
 */
final class WorkspaceShares {

	private final int perWorkspace;

	/** Uploads under way per workspace; a workspace with none has no entry. */
	private final Map<String, Integer> active = new ConcurrentHashMap<>();

	WorkspaceShares(int perWorkspace) {
		this.perWorkspace = perWorkspace;
	}

	/**
	 * Takes one of the workspace's slots.
	 * @return {@code false} when the workspace holds all of its share
	 */
	boolean take(String workspaceId) {
		boolean[] taken = new boolean[1];
		this.active.compute(workspaceId, (id, held) -> {
			int count = (held != null) ? held : 0;
			if (count >= this.perWorkspace) {
				return held;
			}
			taken[0] = true;
			return count + 1;
		});
		return taken[0];
	}

	/** Gives back one slot the workspace took. */
	void give(String workspaceId) {
		this.active.computeIfPresent(workspaceId, (id, held) -> (held > 1) ? held - 1 : null);
	}

}
