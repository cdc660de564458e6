package dev.agenthub.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;

/**
 * Every ConfigMap a pod reads exists in the overlay, and every Secret a pod or Ingress
 * reads — with the key it reads — is one that {@code k8s/create-secrets.sh} creates
 * (Secrets are not in the manifests, so the script is their only definition). References
 * marked {@code optional} may be missing.
 */
public final class ReferenceRules {

	private static final Pattern CREATE = Pattern.compile("create secret (generic|tls) ([a-z0-9.-]+)");

	private static final Pattern LITERAL = Pattern.compile("--from-literal=([A-Za-z0-9_.-]+)=");

	private ReferenceRules() {
	}

	/**
	 * The Secrets {@code script} creates and their keys ({@code tls.crt} and
	 * {@code tls.key} for a TLS Secret).
	 */
	public static Map<String, Set<String>> secretsCreatedBy(Path script) {
		String text;
		try {
			text = Files.readString(script);
		}
		catch (IOException ex) {
			throw new ManifestException(script + ": " + ex.getMessage(), ex);
		}
		Map<String, Set<String>> secrets = new LinkedHashMap<>();
		Matcher create = CREATE.matcher(text);
		List<int[]> starts = new ArrayList<>();
		while (create.find()) {
			starts.add(new int[] { create.start(), create.end() });
			Set<String> keys = secrets.computeIfAbsent(create.group(2), (name) -> new LinkedHashSet<>());
			if (create.group(1).equals("tls")) {
				keys.addAll(List.of("tls.crt", "tls.key"));
			}
		}
		for (int i = 0; i < starts.size(); i++) {
			int end = (i + 1 < starts.size()) ? starts.get(i + 1)[0] : text.length();
			Matcher name = CREATE.matcher(text.substring(starts.get(i)[0], end));
			name.find();
			Matcher literal = LITERAL.matcher(text.substring(starts.get(i)[1], end));
			while (literal.find()) {
				secrets.get(name.group(2)).add(literal.group(1));
			}
		}
		return secrets;
	}

	/** Every reference to a missing ConfigMap, Secret or Secret key. */
	public static List<Violation> check(List<HasMetadata> resources, Map<String, Set<String>> secrets) {
		List<Violation> violations = new ArrayList<>();
		Set<String> configMaps = new LinkedHashSet<>();
		ClusterRules.of(resources, ConfigMap.class).forEach((map) -> configMaps.add(map.getMetadata().getName()));
		for (HasMetadata resource : resources) {
			String name = resource.getKind() + "/" + resource.getMetadata().getName();
			for (PodTemplateSpec template : WorkloadRules.template(resource).stream().toList()) {
				for (Container container : template.getSpec().getContainers()) {
					containerReferences(container, name, configMaps, secrets, violations);
				}
			}
		}
		for (Ingress ingress : ClusterRules.of(resources, Ingress.class)) {
			for (IngressTLS tls : ingress.getSpec().getTls()) {
				if (tls.getSecretName() != null && !secrets.containsKey(tls.getSecretName())) {
					violations.add(new Violation("references", "Ingress/" + ingress.getMetadata().getName(),
							"TLS Secret " + tls.getSecretName() + " is not created by create-secrets.sh"));
				}
			}
		}
		return violations;
	}

	private static void containerReferences(Container container, String name, Set<String> configMaps,
			Map<String, Set<String>> secrets, List<Violation> violations) {
		String where = name + " container " + container.getName();
		for (EnvFromSource source : container.getEnvFrom()) {
			if (source.getConfigMapRef() != null && !Boolean.TRUE.equals(source.getConfigMapRef().getOptional())
					&& !configMaps.contains(source.getConfigMapRef().getName())) {
				violations.add(new Violation("references", where,
						"ConfigMap " + source.getConfigMapRef().getName() + " does not exist"));
			}
			if (source.getSecretRef() != null && !Boolean.TRUE.equals(source.getSecretRef().getOptional())
					&& !secrets.containsKey(source.getSecretRef().getName())) {
				violations.add(new Violation("references", where,
						"Secret " + source.getSecretRef().getName() + " is not created by create-secrets.sh"));
			}
		}
		for (EnvVar var : container.getEnv()) {
			if (var.getValueFrom() == null) {
				continue;
			}
			var secret = var.getValueFrom().getSecretKeyRef();
			if (secret != null && !Boolean.TRUE.equals(secret.getOptional())
					&& !secrets.getOrDefault(secret.getName(), Set.of()).contains(secret.getKey())) {
				violations.add(new Violation("references", where, var.getName() + " reads " + secret.getName() + "/"
						+ secret.getKey() + ", which create-secrets.sh does not create"));
			}
			var configMap = var.getValueFrom().getConfigMapKeyRef();
			if (configMap != null && !Boolean.TRUE.equals(configMap.getOptional())
					&& !configMaps.contains(configMap.getName())) {
				violations.add(new Violation("references", where,
						var.getName() + " reads ConfigMap " + configMap.getName() + ", which does not exist"));
			}
		}
	}

}
