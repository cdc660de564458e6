package dev.agenthub.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The repository's {@code k8s/} directory and its rendered overlays. */
final class Overlays {

	static final Path K8S = locate();

	static final List<String> ALL = List.of("overlays/dev", "overlays/prod");

	private Overlays() {
	}

	static List<ObjectNode> render(String overlay) {
		return Kustomize.render(K8S.resolve(overlay));
	}

	static List<HasMetadata> read(String overlay) {
		return StrictModel.read(render(overlay));
	}

	static List<Violation> violations(List<ObjectNode> resources) {
		List<HasMetadata> model = StrictModel.read(resources);
		List<Violation> all = new java.util.ArrayList<>(WorkloadRules.check(model));
		all.addAll(ClusterRules.check(model));
		all.addAll(ReferenceRules.check(model, ReferenceRules.secretsCreatedBy(K8S.resolve("create-secrets.sh"))));
		return all;
	}

	static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
		return resources.stream()
			.filter((resource) -> Kustomize.kind(resource).equals(kind) && Kustomize.name(resource).equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
	}

	private static Path locate() {
		// Maven runs tests in the module's directory; an IDE may run them at the root.
		for (Path candidate : List.of(Path.of("..", "k8s"), Path.of("k8s"))) {
			if (Files.isDirectory(candidate.resolve("base"))) {
				return candidate.toAbsolutePath().normalize();
			}
		}
		throw new IllegalStateException("k8s/ not found from " + Path.of("").toAbsolutePath());
	}

}
