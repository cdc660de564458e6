package dev.agenthub.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization directory into its resources, as {@code kubectl apply -k}
 * would, for the features {@code k8s/} uses: {@code resources} (files and other
 * kustomizations), {@code namespace}, {@code labels} (without selectors),
 * {@code replicas}, {@code images} and {@code patches} (JSON6902, with a {@code target}).
 * Any other field fails, so that the manifests cannot drift past what this renderer
 * checks.
 */
public final class Kustomize {

	static final YAMLMapper YAML = new YAMLMapper();

	private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources", "images",
			"replicas", "patches");

	private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
			"PersistentVolume", "StorageClass", "IngressClass", "CustomResourceDefinition");

	private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

	private Kustomize() {
	}

	/** The resources of the kustomization in {@code directory}, in order. */
	public static List<ObjectNode> render(Path directory) {
		Path file = directory.resolve("kustomization.yaml");
		JsonNode kustomization = readAll(file).stream()
			.findFirst()
			.orElseThrow(() -> new ManifestException(file + " is empty"));
		for (Iterator<String> names = kustomization.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!FIELDS.contains(name)) {
				throw new ManifestException(file + ": unsupported kustomization field '" + name + "'");
			}
		}
		List<ObjectNode> resources = new ArrayList<>();
		for (JsonNode entry : kustomization.path("resources")) {
			Path path = directory.resolve(entry.asText()).normalize();
			if (Files.isDirectory(path)) {
				resources.addAll(render(path));
			}
			else if (Files.isRegularFile(path)) {
				resources.addAll(readAll(path));
			}
			else {
				throw new ManifestException(file + ": resource " + entry.asText() + " does not exist");
			}
		}
		for (JsonNode patch : kustomization.path("patches")) {
			patch(resources, patch, directory, file);
		}
		if (kustomization.hasNonNull("namespace")) {
			String namespace = kustomization.get("namespace").asText();
			resources.stream()
				.filter((resource) -> !CLUSTER_SCOPED.contains(kind(resource)))
				.forEach((resource) -> metadata(resource).put("namespace", namespace));
		}
		for (JsonNode label : kustomization.path("labels")) {
			labels(resources, label, file);
		}
		for (JsonNode replicas : kustomization.path("replicas")) {
			String name = replicas.path("name").asText();
			List<ObjectNode> targets = resources.stream()
				.filter((resource) -> WORKLOADS.contains(kind(resource)) && name.equals(name(resource)))
				.toList();
			if (targets.isEmpty()) {
				throw new ManifestException(file + ": replicas for " + name + " match no workload");
			}
			targets.forEach((resource) -> ((ObjectNode) resource.get("spec")).set("replicas", replicas.get("count")));
		}
		for (JsonNode image : kustomization.path("images")) {
			resources.forEach((resource) -> images(resource, image));
		}
		return resources;
	}

	/** Reads every non-empty YAML document of {@code file}. */
	public static List<ObjectNode> readAll(Path file) {
		try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
			List<ObjectNode> all = new ArrayList<>();
			while (documents.hasNext()) {
				JsonNode document = documents.next();
				if (document instanceof ObjectNode object && !object.isEmpty()) {
					all.add(object);
				}
				else if (document != null && !document.isNull() && !document.isEmpty()) {
					throw new ManifestException(file + ": a document is not a mapping");
				}
			}
			return all;
		}
		catch (IOException ex) {
			throw new ManifestException(file + ": " + ex.getMessage(), ex);
		}
	}

	private static void patch(List<ObjectNode> resources, JsonNode patch, Path directory, Path file) {
		JsonNode target = patch.path("target");
		if (target.isMissingNode() || target.size() == 0) {
			throw new ManifestException(file + ": every patch needs a target");
		}
		for (Iterator<String> names = target.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!Set.of("kind", "name").contains(name)) {
				throw new ManifestException(file + ": unsupported patch target field '" + name + "'");
			}
		}
		String text;
		try {
			text = patch.has("path") ? Files.readString(directory.resolve(patch.get("path").asText()))
					: patch.path("patch").asText();
		}
		catch (IOException ex) {
			throw new ManifestException(file + ": " + ex.getMessage(), ex);
		}
		JsonNode operations;
		try {
			operations = YAML.readTree(text);
		}
		catch (IOException ex) {
			throw new ManifestException(file + ": unreadable patch: " + ex.getMessage(), ex);
		}
		List<ObjectNode> matched = resources.stream()
			.filter((resource) -> !target.has("kind") || target.get("kind").asText().equals(kind(resource)))
			.filter((resource) -> !target.has("name") || target.get("name").asText().equals(name(resource)))
			.toList();
		if (matched.isEmpty()) {
			throw new ManifestException(file + ": patch target " + target + " matches no resource");
		}
		matched.forEach((resource) -> JsonPatch.apply(resource, operations, file + " on " + describe(resource)));
	}

	private static void labels(List<ObjectNode> resources, JsonNode label, Path file) {
		if (label.path("includeSelectors").asBoolean(false)) {
			throw new ManifestException(file + ": labels with includeSelectors are not supported");
		}
		boolean templates = label.path("includeTemplates").asBoolean(false);
		for (ObjectNode resource : resources) {
			for (Map.Entry<String, JsonNode> pair : label.path("pairs").properties()) {
				object(metadata(resource), "labels").set(pair.getKey(), pair.getValue());
				if (templates && WORKLOADS.contains(kind(resource))) {
					ObjectNode template = object(object((ObjectNode) resource.get("spec"), "template"), "metadata");
					object(template, "labels").set(pair.getKey(), pair.getValue());
				}
			}
		}
	}

	private static void images(ObjectNode resource, JsonNode image) {
		JsonNode pod = resource.path("spec").path("template").path("spec");
		for (String list : new String[] { "containers", "initContainers" }) {
			for (JsonNode container : pod.path(list)) {
				String current = container.path("image").asText();
				String name = imageName(current);
				if (name.equals(image.path("name").asText())) {
					String newName = image.path("newName").asText(name);
					String reference;
					if (image.hasNonNull("digest")) {
						reference = newName + "@" + image.get("digest").asText();
					}
					else if (image.hasNonNull("newTag")) {
						reference = newName + ":" + image.get("newTag").asText();
					}
					else {
						reference = newName + current.substring(name.length());
					}
					((ObjectNode) container).put("image", reference);
				}
			}
		}
	}

	/** An image reference without its tag or digest. */
	static String imageName(String image) {
		int at = image.indexOf('@');
		String name = (at >= 0) ? image.substring(0, at) : image;
		int colon = name.lastIndexOf(':');
		return (colon > name.lastIndexOf('/')) ? name.substring(0, colon) : name;
	}

	static String kind(JsonNode resource) {
		return resource.path("kind").asText();
	}

	static String name(JsonNode resource) {
		return resource.path("metadata").path("name").asText();
	}

	static String describe(JsonNode resource) {
		return kind(resource) + "/" + name(resource);
	}

	private static ObjectNode metadata(ObjectNode resource) {
		return object(resource, "metadata");
	}

	private static ObjectNode object(ObjectNode parent, String field) {
		JsonNode node = parent.get(field);
		if (node instanceof ObjectNode object) {
			return object;
		}
		return parent.putObject(field);
	}

}
