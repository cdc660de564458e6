package dev.agenthub.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch, the operations kustomize's JSON6902 patches use ({@code add},
 * {@code replace}, {@code remove}, {@code test}). A path that does not resolve fails, as
 * in kustomize.
 */
final class JsonPatch {

	private JsonPatch() {
	}

	/** Applies {@code operations} (an array of operation objects) to {@code target}. */
	static void apply(ObjectNode target, JsonNode operations, String where) {
		if (!operations.isArray()) {
			throw new ManifestException(where + ": a JSON6902 patch is a list of operations");
		}
		for (JsonNode operation : operations) {
			String op = operation.path("op").asText();
			String path = operation.path("path").asText();
			JsonNode value = operation.get("value");
			int slash = path.lastIndexOf('/');
			if (!path.startsWith("/") || slash < 0) {
				throw new ManifestException(where + ": bad patch path " + path);
			}
			JsonNode parent = target.at(path.substring(0, slash));
			String key = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
			if (parent.isMissingNode()) {
				throw new ManifestException(where + ": patch path " + path + " does not exist");
			}
			switch (op) {
				case "add" -> add(parent, key, value.deepCopy(), path, where);
				case "replace" -> {
					requireExisting(parent, key, path, where);
					set(parent, key, value.deepCopy());
				}
				case "remove" -> {
					requireExisting(parent, key, path, where);
					if (parent.isArray()) {
						((ArrayNode) parent).remove(Integer.parseInt(key));
					}
					else {
						((ObjectNode) parent).remove(key);
					}
				}
				case "test" -> {
					if (!target.at(path).equals(value)) {
						throw new ManifestException(where + ": patch test failed at " + path);
					}
				}
				default -> throw new ManifestException(where + ": unsupported patch operation " + op);
			}
		}
	}

	private static void add(JsonNode parent, String key, JsonNode value, String path, String where) {
		if (parent.isArray()) {
			ArrayNode array = (ArrayNode) parent;
			if ("-".equals(key)) {
				array.add(value);
			}
			else {
				int index = Integer.parseInt(key);
				if (index > array.size()) {
					throw new ManifestException(where + ": patch path " + path + " is past the end of the list");
				}
				array.insert(index, value);
			}
		}
		else if (parent.isObject()) {
			((ObjectNode) parent).set(key, value);
		}
		else {
			throw new ManifestException(where + ": patch path " + path + " is inside a scalar");
		}
	}

	private static void requireExisting(JsonNode parent, String key, String path, String where) {
		boolean exists = parent.isArray() ? key.matches("\\d+") && Integer.parseInt(key) < parent.size()
				: parent.has(key);
		if (!exists) {
			throw new ManifestException(where + ": patch path " + path + " does not exist");
		}
	}

	private static void set(JsonNode parent, String key, JsonNode value) {
		if (parent.isArray()) {
			((ArrayNode) parent).set(Integer.parseInt(key), value);
		}
		else {
			((ObjectNode) parent).set(key, value);
		}
	}

}
