package dev.agenthub.k8s;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule rejects a manifest that breaks it (the prod overlay, broken one way). */
class RulesTests {

	@Test
	void shouldRejectAContainerWithoutAReadinessProbe() {
		assertRejected("probes", (all) -> container(all, "Deployment", "agent").remove("readinessProbe"));
	}

	@Test
	void shouldRejectAStatefulSetWithoutAStartupProbe() {
		assertRejected("probes", (all) -> container(all, "StatefulSet", "redis").remove("startupProbe"));
	}

	@Test
	void shouldRejectALivenessProbeOffTheActuatorGroup() {
		assertRejected("probes",
				(all) -> ((ObjectNode) container(all, "Deployment", "gateway").at("/livenessProbe/httpGet")).put("path",
						"/actuator/health"));
	}

	@Test
	void shouldRejectAReadinessGroupWithoutTheDatabase() {
		assertRejected("readiness", (all) -> env(all, "broadcast", "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE")
			.put("value", "readinessState,redis"));
	}

	@Test
	void shouldRejectAReadinessGroupWithoutRedis() {
		assertRejected("readiness", (all) -> env(all, "gateway", "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE")
			.put("value", "readinessState"));
	}

	@Test
	void shouldRejectAGatewayReadyBeforeItsWarmUp() {
		assertRejected("readiness", (all) -> env(all, "gateway", "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE")
			.put("value", "readinessState,redis"));
	}

	@Test
	void shouldRejectAMissingMemoryLimit() {
		assertRejected("resources",
				(all) -> ((ObjectNode) container(all, "Deployment", "integration").at("/resources/limits"))
					.remove("memory"));
	}

	@Test
	void shouldRejectARootContainer() {
		assertRejected("securityContext",
				(all) -> ((ObjectNode) container(all, "StatefulSet", "postgres").get("securityContext"))
					.put("runAsNonRoot", false));
	}

	@Test
	void shouldRejectAWritableRootFileSystem() {
		assertRejected("securityContext",
				(all) -> ((ObjectNode) container(all, "Deployment", "gateway").get("securityContext"))
					.put("readOnlyRootFilesystem", false));
	}

	@Test
	void shouldRejectAReadOnlyRootWithoutTmp() {
		assertRejected("securityContext",
				(all) -> ((ArrayNode) container(all, "Deployment", "agent").get("volumeMounts")).removeAll());
	}

	@Test
	void shouldRejectAContainerWithoutPreStop() {
		assertRejected("preStop", (all) -> container(all, "Deployment", "broadcast").remove("lifecycle"));
	}

	@Test
	void shouldRejectAGracePeriodShorterThanTheDrain() {
		assertRejected("grace",
				(all) -> ((ObjectNode) Overlays.find(all, "Deployment", "gateway").at("/spec/template/spec"))
					.put("terminationGracePeriodSeconds", 30));
	}

	@Test
	void shouldRejectAnUnpinnedImage() {
		assertRejected("image", (all) -> container(all, "Deployment", "gateway").put("image", "agent-hub:latest"));
		assertRejected("image", (all) -> container(all, "StatefulSet", "redis").put("image", "redis"));
	}

	@Test
	void shouldRejectASecretValueInTheEnvironment() {
		assertRejected("secrets", (all) -> {
			ObjectNode var = ((ArrayNode) container(all, "Deployment", "agent").get("env")).addObject();
			var.put("name", "HUB_POSTGRES_PASSWORD").put("value", "hunter2");
		});
	}

	@Test
	void shouldRejectACommittedSecret() {
		assertRejected("secrets", (all) -> {
			ObjectNode secret = Kustomize.YAML.createObjectNode();
			secret.put("apiVersion", "v1").put("kind", "Secret");
			secret.putObject("metadata").put("name", "hub-auth").put("namespace", "agent-hub");
			secret.putObject("stringData").put("HUB_AUTH_JWT_SECRET", "not-so-secret");
			all.add(secret);
		});
	}

	@Test
	void shouldRejectASecretInTheConfigMap() {
		assertRejected("secrets", (all) -> ((ObjectNode) Overlays.find(all, "ConfigMap", "hub-config").get("data"))
			.put("HUB_AUTH_JWT_SECRET", "0123456789abcdef0123456789abcdef"));
	}

	@Test
	void shouldRejectADeploymentWithoutABudget() {
		assertRejected("pdb", (all) -> all.remove(Overlays.find(all, "PodDisruptionBudget", "agent")));
	}

	@Test
	void shouldRejectADeploymentWithoutAnAutoscaler() {
		assertRejected("hpa", (all) -> all.remove(Overlays.find(all, "HorizontalPodAutoscaler", "integration")));
	}

	@Test
	void shouldRejectAGatewayAutoscalerBlindToConnections() {
		assertRejected("hpa",
				(all) -> ((ArrayNode) Overlays.find(all, "HorizontalPodAutoscaler", "gateway").at("/spec/metrics"))
					.remove(1));
	}

	@Test
	void shouldRejectAnIngressPathToAMissingService() {
		assertRejected("ingress", (all) -> ((ObjectNode) Overlays.find(all, "Ingress", "hub-agents")
			.at("/spec/rules/0/http/paths/0/backend/service")).put("name", "agents"));
	}

	@Test
	void shouldRejectAnIngressPathToAMissingPort() {
		assertRejected("ingress", (all) -> ((ObjectNode) Overlays.find(all, "Ingress", "hub-browsers")
			.at("/spec/rules/0/http/paths/0/backend/service/port")).put("name", "web"));
	}

	@Test
	void shouldRejectAServiceWhosePodsDoNotExposeItsTargetPort() {
		assertRejected("ingress", (all) -> ((ObjectNode) Overlays.find(all, "Service", "gateway").at("/spec/ports/0"))
			.put("targetPort", 9090));
	}

	@Test
	void shouldRejectAnIngressWithoutTlsOrAffinity() {
		assertRejected("ingress", (all) -> Overlays.find(all, "Ingress", "hub-browsers").with("spec").remove("tls"));
		assertRejected("ingress",
				(all) -> Overlays.find(all, "Ingress", "hub-agents")
					.with("metadata")
					.with("annotations")
					.remove("nginx.ingress.kubernetes.io/affinity"));
	}

	@Test
	void shouldRejectRedisWithoutANetworkPolicy() {
		assertRejected("networkPolicy", (all) -> all.remove(Overlays.find(all, "NetworkPolicy", "redis")));
	}

	@Test
	void shouldRejectANetworkPolicyThatAdmitsOtherPods() {
		assertRejected("networkPolicy", (all) -> ((ObjectNode) Overlays.find(all, "NetworkPolicy", "postgres")
			.at("/spec/ingress/0/from/0/podSelector/matchLabels")).remove("app.kubernetes.io/component"));
		assertRejected("networkPolicy",
				(all) -> ((ObjectNode) Overlays.find(all, "NetworkPolicy", "redis").at("/spec/ingress/0/from/0"))
					.putObject("namespaceSelector"));
	}

	@Test
	void shouldRejectAMissingServiceUrl() {
		assertRejected("urls", (all) -> ((ObjectNode) Overlays.find(all, "ConfigMap", "hub-config").get("data"))
			.remove("HUB_AGENT_INTEGRATION_URL"));
	}

	@Test
	void shouldRejectAServiceUrlToNowhere() {
		assertRejected("urls", (all) -> ((ObjectNode) Overlays.find(all, "ConfigMap", "hub-config").get("data"))
			.put("HUB_GATEWAY_HISTORY_URL", "http://localhost:8082"));
	}

	@Test
	void shouldRejectASecretKeyTheScriptDoesNotCreate() {
		assertRejected("references", (all) -> {
			for (JsonNode var : container(all, "Deployment", "agent").get("env")) {
				if (var.has("valueFrom") && var.at("/valueFrom/secretKeyRef/name").asText().equals("hub-postgres")) {
					((ObjectNode) var.at("/valueFrom/secretKeyRef")).put("key", "pasword");
				}
			}
		});
	}

	@Test
	void shouldRejectAMissingConfigMapOrSecret() {
		assertRejected("references",
				(all) -> ((ObjectNode) container(all, "Deployment", "gateway").at("/envFrom/0/configMapRef"))
					.put("name", "hub-settings"));
		assertRejected("references",
				(all) -> ((ObjectNode) Overlays.find(all, "Ingress", "hub-browsers").at("/spec/tls/0"))
					.put("secretName", "hub-cert"));
	}

	private static void assertRejected(String rule, Consumer<List<ObjectNode>> breakIt) {
		List<ObjectNode> resources = Overlays.render("overlays/prod");
		assertThat(Overlays.violations(resources)).as("the unbroken overlay").isEmpty();
		breakIt.accept(resources);
		assertThat(Overlays.violations(resources)).extracting(Violation::rule).contains(rule);
	}

	private static ObjectNode container(List<ObjectNode> all, String kind, String name) {
		return (ObjectNode) Overlays.find(all, kind, name).at("/spec/template/spec/containers/0");
	}

	private static ObjectNode env(List<ObjectNode> all, String deployment, String name) {
		for (JsonNode var : container(all, "Deployment", deployment).get("env")) {
			if (name.equals(var.path("name").asText())) {
				return (ObjectNode) var;
			}
		}
		throw new AssertionError("no " + name + " in " + deployment);
	}

}
