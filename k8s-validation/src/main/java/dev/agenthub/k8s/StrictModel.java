package dev.agenthub.k8s;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Reads rendered resources against the Kubernetes API model (fabric8's kubernetes-model)
 * strictly: an unknown {@code apiVersion}/{@code kind}, an unknown field anywhere in the
 * tree, or a value of the wrong type fails, naming the resource and the path. (The model
 * keeps unknown fields in {@code additionalProperties} by default; here that catch-all is
 * switched off.)
 */
public final class StrictModel {

	private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
			Map.entry("v1/Namespace", Namespace.class), Map.entry("v1/ConfigMap", ConfigMap.class),
			Map.entry("v1/Secret", Secret.class), Map.entry("v1/Service", Service.class),
			Map.entry("v1/ServiceAccount", ServiceAccount.class), Map.entry("apps/v1/Deployment", Deployment.class),
			Map.entry("apps/v1/StatefulSet", StatefulSet.class),
			Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
			Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
			Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
			Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class));

	private static final ObjectMapper STRICT = JsonMapper.builder()
		.annotationIntrospector(new NoCatchAll())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
		.disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.build();

	private StrictModel() {
	}

	/** Reads every resource; the first that does not fit the model fails. */
	public static List<HasMetadata> read(List<? extends JsonNode> resources) {
		return resources.stream().map(StrictModel::read).toList();
	}

	/** Reads one resource. */
	public static HasMetadata read(JsonNode resource) {
		String type = resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
		Class<? extends HasMetadata> model = TYPES.get(type);
		String name = Kustomize.describe(resource);
		if (model == null) {
			throw new ManifestException(name + ": unknown or unsupported apiVersion/kind " + type);
		}
		try {
			return STRICT.treeToValue(resource, model);
		}
		catch (JsonMappingException ex) {
			throw new ManifestException(name + ": " + ex.getOriginalMessage() + " at " + path(ex), ex);
		}
		catch (Exception ex) {
			throw new ManifestException(name + ": " + ex.getMessage(), ex);
		}
	}

	private static String path(JsonMappingException ex) {
		StringBuilder path = new StringBuilder();
		for (JsonMappingException.Reference reference : ex.getPath()) {
			path.append(reference.getFieldName() != null ? "." + reference.getFieldName()
					: "[" + reference.getIndex() + "]");
		}
		return path.isEmpty() ? "(root)" : path.toString();
	}

	/** The model's annotations, but no any-setter and no ignored unknown fields. */
	private static final class NoCatchAll extends JacksonAnnotationIntrospector {

		@Override
		public Boolean hasAnySetter(Annotated annotated) {
			return Boolean.FALSE;
		}

		@Override
		public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
			return JsonIgnoreProperties.Value.empty();
		}

	}

}
