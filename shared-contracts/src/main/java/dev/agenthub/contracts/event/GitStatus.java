package dev.agenthub.contracts.event;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * {@code git:status}: the repository's branch and changed files.
 *
 * @param branch the branch (or {@code (detached)})
 * @param ahead commits ahead of upstream
 * @param behind commits behind upstream
 * @param files the changed files, each an object such as {@code {"path":...,
 * "status":...}}
 */
public record GitStatus(String branch, Integer ahead, Integer behind, List<JsonNode> files) implements EventPayload {

	public GitStatus {
		Check.text(branch, "branch");
		Check.nonNegative(ahead, "ahead");
		Check.nonNegative(behind, "behind");
		files = (files != null) ? List.copyOf(files) : List.of();
	}

}
