package dev.agenthub.k8s;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every overlay renders, fits the Kubernetes API model strictly and keeps every rule. */
class ManifestsTests {

	static List<String> overlays() {
		return Overlays.ALL;
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void shouldKeepEveryRule(String overlay) {
		assertThat(Overlays.violations(Overlays.render(overlay))).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("overlays")
	void shouldDeployTheWholeHub(String overlay) {
		List<HasMetadata> resources = Overlays.read(overlay);
		assertThat(ClusterRules.of(resources, Deployment.class)).extracting((d) -> d.getMetadata().getName())
			.containsExactlyInAnyOrder("gateway", "agent", "broadcast", "integration");
		assertThat(ClusterRules.of(resources, StatefulSet.class)).extracting((s) -> s.getMetadata().getName())
			.containsExactlyInAnyOrder("redis", "postgres");
		assertThat(ClusterRules.of(resources, Ingress.class)).extracting((i) -> i.getMetadata().getName())
			.containsExactlyInAnyOrder("hub-browsers", "hub-agents");
		assertThat(resources).filteredOn((r) -> !"Namespace".equals(r.getKind()))
			.allSatisfy((r) -> assertThat(r.getMetadata().getNamespace()).isEqualTo("agent-hub"));
		assertThat(ClusterRules.of(resources, Deployment.class))
			.allSatisfy((d) -> assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
				.matches(".*agent-hub:\\d+\\.\\d+\\.\\d+"));
	}

	@Test
	void shouldSetThePostgresDataDirectoryBelowTheVolumeRoot() {
		StatefulSet postgres = ClusterRules.of(Overlays.read("overlays/prod"), StatefulSet.class)
			.stream()
			.filter((s) -> s.getMetadata().getName().equals("postgres"))
			.findFirst()
			.orElseThrow();
		var container = postgres.getSpec().getTemplate().getSpec().getContainers().get(0);
		String mount = container.getVolumeMounts()
			.stream()
			.filter((m) -> m.getName().equals("data"))
			.findFirst()
			.orElseThrow()
			.getMountPath();
		assertThat(container.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("PGDATA");
			assertThat(env.getValue()).startsWith(mount + "/").isNotEqualTo(mount + "/");
		});
	}

	@Test
	void shouldRouteEveryServiceUrlToItsService() {
		ConfigMap config = ClusterRules.of(Overlays.read("overlays/prod"), ConfigMap.class).get(0);
		assertThat(config.getData()).containsEntry("HUB_GATEWAY_HISTORY_URL", "http://broadcast:8082")
			.containsEntry("HUB_GATEWAY_AGENT_SERVICE_URL", "http://agent:8081")
			.containsEntry("HUB_AGENT_INTEGRATION_URL", "http://integration:8083")
			.containsEntry("HUB_PROVISION_AGENT_SERVICE_INTERNAL_URL", "http://agent:8081");
	}

	@Test
	void shouldReadTheSecretsTheScriptCreates() {
		var secrets = ReferenceRules.secretsCreatedBy(Overlays.K8S.resolve("create-secrets.sh"));
		assertThat(secrets).containsOnlyKeys("hub-auth", "hub-redis", "hub-postgres", "hub-tailscale", "hub-tls");
		assertThat(secrets.get("hub-redis")).containsExactlyInAnyOrder("password", "url");
		assertThat(secrets.get("hub-auth")).contains("HUB_AUTH_JWT_SECRET", "HUB_AUTH_JWK_SET_URI");
		assertThat(secrets.get("hub-tls")).containsExactlyInAnyOrder("tls.crt", "tls.key");
	}

	@Test
	void shouldCommitNoSecretValues() throws Exception {
		try (Stream<java.nio.file.Path> files = Files.walk(Overlays.K8S)) {
			for (java.nio.file.Path file : files.filter((f) -> f.toString().endsWith(".yaml")).toList()) {
				assertThat(Kustomize.readAll(file)).as(file.toString())
					.noneMatch((document) -> "Secret".equals(Kustomize.kind(document)));
			}
		}
	}

}
