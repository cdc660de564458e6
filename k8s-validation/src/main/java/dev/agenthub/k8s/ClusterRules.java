package dev.agenthub.k8s;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Rules across resources: every Deployment has a disruption budget and an autoscaler (the
 * gateway's also on connections); every Ingress path reaches an existing Service port
 * that selects pods exposing it, with TLS and cookie affinity; Redis and PostgreSQL are
 * reachable only from hub pods; no Secret and no ConfigMap carries a secret value; every
 * inter-service URL is set and names an existing Service and port.
 */
public final class ClusterRules {

	/**
	 * The URLs one hub service uses to call another; each must be set in the ConfigMap.
	 */
	public static final List<String> SERVICE_URLS = List.of("HUB_GATEWAY_HISTORY_URL", "HUB_GATEWAY_AGENT_SERVICE_URL",
			"HUB_AGENT_INTEGRATION_URL", "HUB_PROVISION_AGENT_SERVICE_INTERNAL_URL");

	private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY).*");

	private static final Pattern URL = Pattern.compile("^[a-z][a-z0-9+.-]*://.*");

	private ClusterRules() {
	}

	/** Every violation among {@code resources}. */
	public static List<Violation> check(List<HasMetadata> resources) {
		List<Violation> violations = new ArrayList<>();
		List<Service> services = of(resources, Service.class);
		for (Deployment deployment : of(resources, Deployment.class)) {
			budgetAndScaling(deployment, resources, violations);
		}
		for (Ingress ingress : of(resources, Ingress.class)) {
			ingress(ingress, services, resources, violations);
		}
		isolation(resources, violations);
		for (Secret secret : of(resources, Secret.class)) {
			if (!secret.getData().isEmpty() || !secret.getStringData().isEmpty()) {
				violations.add(new Violation("secrets", name(secret), "secret values are committed; create the "
						+ "Secret outside the repository (k8s/create-secrets.sh)"));
			}
		}
		urls(resources, services, violations);
		return violations;
	}

	private static void budgetAndScaling(Deployment deployment, List<HasMetadata> resources,
			List<Violation> violations) {
		Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
		boolean budget = of(resources, PodDisruptionBudget.class).stream()
			.anyMatch((pdb) -> sameNamespace(pdb, deployment) && selects(pdb.getSpec().getSelector(), labels));
		if (!budget) {
			violations.add(new Violation("pdb", name(deployment), "no PodDisruptionBudget selects its pods"));
		}
		Optional<HorizontalPodAutoscaler> hpa = of(resources, HorizontalPodAutoscaler.class).stream()
			.filter((candidate) -> sameNamespace(candidate, deployment)
					&& "Deployment".equals(candidate.getSpec().getScaleTargetRef().getKind())
					&& deployment.getMetadata().getName().equals(candidate.getSpec().getScaleTargetRef().getName()))
			.findFirst();
		if (hpa.isEmpty()) {
			violations.add(new Violation("hpa", name(deployment), "no HorizontalPodAutoscaler scales it"));
			return;
		}
		var metrics = hpa.get().getSpec().getMetrics();
		if (metrics.stream()
			.noneMatch((metric) -> metric.getResource() != null && "cpu".equals(metric.getResource().getName()))) {
			violations.add(new Violation("hpa", name(hpa.get()), "does not scale on CPU"));
		}
		if ("gateway".equals(deployment.getMetadata().getName()) && metrics.stream()
			.noneMatch((metric) -> metric.getPods() != null
					&& metric.getPods().getMetric().getName().contains("connections"))) {
			violations.add(new Violation("hpa", name(hpa.get()), "the gateway must also scale on connections"));
		}
	}

	private static void ingress(Ingress ingress, List<Service> services, List<HasMetadata> resources,
			List<Violation> violations) {
		String where = name(ingress);
		if (ingress.getSpec().getTls().isEmpty()
				|| ingress.getSpec().getTls().stream().anyMatch((tls) -> tls.getSecretName() == null)) {
			violations.add(new Violation("ingress", where, "needs TLS from a Secret"));
		}
		if (!"cookie".equals(ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/affinity"))) {
			violations.add(new Violation("ingress", where, "needs cookie affinity (Socket.IO long-polling)"));
		}
		for (IngressRule rule : ingress.getSpec().getRules()) {
			for (HTTPIngressPath path : rule.getHttp().getPaths()) {
				IngressServiceBackend backend = path.getBackend().getService();
				String target = where + " path " + path.getPath();
				if (backend == null) {
					violations.add(new Violation("ingress", target, "has no Service backend"));
					continue;
				}
				Optional<Service> service = services.stream()
					.filter((candidate) -> sameNamespace(candidate, ingress)
							&& candidate.getMetadata().getName().equals(backend.getName()))
					.findFirst();
				Optional<ServicePort> port = service.flatMap((found) -> found.getSpec()
					.getPorts()
					.stream()
					.filter((candidate) -> (backend.getPort().getName() != null)
							? backend.getPort().getName().equals(candidate.getName())
							: Objects.equals(backend.getPort().getNumber(), candidate.getPort()))
					.findFirst());
				if (port.isEmpty()) {
					violations.add(new Violation("ingress", target,
							"points at " + backend.getName() + ":" + backend.getPort() + ", which does not exist"));
				}
				else if (!servesPort(service.get(), port.get(), resources)) {
					violations.add(new Violation("ingress", target,
							"Service " + backend.getName() + " selects no pod exposing its target port"));
				}
			}
		}
	}

	private static boolean servesPort(Service service, ServicePort port, List<HasMetadata> resources) {
		for (HasMetadata resource : resources) {
			Optional<PodTemplateSpec> template = WorkloadRules.template(resource);
			if (template.isEmpty() || !sameNamespace(resource, service) || service.getSpec().getSelector() == null
					|| !template.get()
						.getMetadata()
						.getLabels()
						.entrySet()
						.containsAll(service.getSpec().getSelector().entrySet())) {
				continue;
			}
			for (Container container : template.get().getSpec().getContainers()) {
				boolean exposes = container.getPorts()
					.stream()
					.anyMatch((exposed) -> (port.getTargetPort() == null)
							? Objects.equals(exposed.getContainerPort(), port.getPort())
							: (port.getTargetPort().getStrVal() != null)
									? port.getTargetPort().getStrVal().equals(exposed.getName())
									: Objects.equals(port.getTargetPort().getIntVal(), exposed.getContainerPort()));
				if (exposes) {
					return true;
				}
			}
		}
		return false;
	}

	private static void isolation(List<HasMetadata> resources, List<Violation> violations) {
		for (HasMetadata resource : resources) {
			Optional<PodTemplateSpec> template = WorkloadRules.template(resource);
			String component = template
				.map((found) -> found.getMetadata().getLabels().get("app.kubernetes.io/component"))
				.orElse("");
			if (!component.equals("engine") && !component.equals("database")) {
				continue;
			}
			Map<String, String> labels = template.get().getMetadata().getLabels();
			List<NetworkPolicy> policies = of(resources, NetworkPolicy.class).stream()
				.filter((policy) -> sameNamespace(policy, resource)
						&& selects(policy.getSpec().getPodSelector(), labels)
						&& policy.getSpec().getPolicyTypes().contains("Ingress"))
				.toList();
			if (policies.isEmpty()) {
				violations
					.add(new Violation("networkPolicy", name(resource), "no NetworkPolicy restricts who reaches it"));
			}
			for (NetworkPolicy policy : policies) {
				for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
					if (rule.getFrom().isEmpty()) {
						violations.add(new Violation("networkPolicy", name(policy), "admits every pod"));
					}
					for (NetworkPolicyPeer peer : rule.getFrom()) {
						if (peer.getIpBlock() != null || peer.getNamespaceSelector() != null
								|| peer.getPodSelector() == null || !onlyHubPods(peer.getPodSelector(), resources)) {
							violations.add(new Violation("networkPolicy", name(policy),
									"admits pods other than the hub's services"));
						}
					}
				}
			}
		}
	}

	private static boolean onlyHubPods(LabelSelector selector, List<HasMetadata> resources) {
		if (selector.getMatchLabels().isEmpty() && selector.getMatchExpressions().isEmpty()) {
			return false;
		}
		return resources.stream()
			.map(WorkloadRules::template)
			.flatMap(Optional::stream)
			.filter((template) -> selects(selector, template.getMetadata().getLabels()))
			.allMatch(WorkloadRules::hubService);
	}

	private static void urls(List<HasMetadata> resources, List<Service> services, List<Violation> violations) {
		List<ConfigMap> configMaps = of(resources, ConfigMap.class);
		for (String required : SERVICE_URLS) {
			if (configMaps.stream().noneMatch((map) -> map.getData().containsKey(required))) {
				violations.add(new Violation("urls", "ConfigMap",
						required + " is not set: the service would call " + "localhost"));
			}
		}
		for (ConfigMap map : configMaps) {
			map.getData().forEach((key, value) -> {
				if (SECRET_KEY.matcher(key.toUpperCase(Locale.ROOT)).matches()) {
					violations.add(new Violation("secrets", name(map), key + " belongs in a Secret"));
				}
				if (value != null && URL.matcher(value).matches()) {
					url(map, key, value, services, violations);
				}
			});
		}
	}

	private static void url(ConfigMap map, String key, String value, List<Service> services,
			List<Violation> violations) {
		URI uri = URI.create(value);
		String host = (uri.getHost() != null) ? uri.getHost() : "";
		String service = host.split("\\.")[0];
		int port = uri.getPort();
		boolean exists = services.stream()
			.anyMatch((candidate) -> candidate.getMetadata().getName().equals(service)
					&& (port < 0 || candidate.getSpec().getPorts().stream().anyMatch((p) -> p.getPort() == port)));
		if (!exists) {
			violations.add(new Violation("urls", name(map), key + "=" + value + " names no Service and port here"));
		}
	}

	static boolean selects(LabelSelector selector, Map<String, String> labels) {
		if (selector == null || !selector.getMatchExpressions().isEmpty()) {
			return false; // not used by the manifests; treated as not matching
		}
		return !selector.getMatchLabels().isEmpty()
				&& labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
	}

	private static boolean sameNamespace(HasMetadata a, HasMetadata b) {
		return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
	}

	static <T> List<T> of(List<HasMetadata> resources, Class<T> type) {
		return resources.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static String name(HasMetadata resource) {
		return resource.getKind() + "/" + resource.getMetadata().getName();
	}

}
