package dev.agenthub.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * Rules every workload's pods keep: startup, liveness and readiness probes (hub services
 * on their actuator groups, readiness including Redis and, with a database, PostgreSQL);
 * CPU and memory requests and limits; non-root, read-only, no privilege escalation, no
 * capabilities, with a writable {@code /tmp}; a {@code preStop} and a termination grace
 * period that covers it and the drain; pinned images; secrets only by reference.
 */
public final class WorkloadRules {

	/** Label value of the hub's own services ({@code app.kubernetes.io/component}). */
	public static final String HUB_SERVICE = "hub-service";

	/** Seconds a hub service may spend shutting down after preStop (two 15 s phases). */
	static final int DRAIN_SECONDS = 30;

	private static final Pattern SECRET_NAME = Pattern
		.compile(".*(PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL).*");

	private WorkloadRules() {
	}

	/** Every violation among the workloads of {@code resources}. */
	public static List<Violation> check(List<HasMetadata> resources) {
		List<Violation> violations = new ArrayList<>();
		for (HasMetadata resource : resources) {
			template(resource).ifPresent((template) -> check(resource, template, violations));
		}
		return violations;
	}

	static Optional<PodTemplateSpec> template(HasMetadata resource) {
		if (resource instanceof Deployment deployment) {
			return Optional.of(deployment.getSpec().getTemplate());
		}
		if (resource instanceof StatefulSet statefulSet) {
			return Optional.of(statefulSet.getSpec().getTemplate());
		}
		return Optional.empty();
	}

	static boolean hubService(PodTemplateSpec template) {
		return HUB_SERVICE.equals(template.getMetadata().getLabels().get("app.kubernetes.io/component"));
	}

	private static void check(HasMetadata resource, PodTemplateSpec template, List<Violation> violations) {
		String name = resource.getKind() + "/" + resource.getMetadata().getName();
		boolean hub = hubService(template);
		PodSecurityContext pod = template.getSpec().getSecurityContext();
		boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
		for (Container container : template.getSpec().getContainers()) {
			String where = name + " container " + container.getName();
			probes(container, hub, where, violations);
			resources(container.getResources(), where, violations);
			security(container, podNonRoot, where, violations);
			image(container.getImage(), where, violations);
			secrets(container, where, violations);
			int sleep = preStopSeconds(container.getLifecycle());
			if (sleep < 0) {
				violations.add(new Violation("preStop", where, "no preStop hook"));
			}
			else {
				long grace = Optional.ofNullable(template.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
				int needed = sleep + (hub ? DRAIN_SECONDS : 1);
				if (grace < needed) {
					violations.add(new Violation("grace", where, "terminationGracePeriodSeconds " + grace
							+ " does not cover preStop (" + sleep + " s) and the drain: at least " + needed));
				}
			}
		}
	}

	private static void probes(Container container, boolean hub, String where, List<Violation> violations) {
		Probe startup = container.getStartupProbe();
		Probe liveness = container.getLivenessProbe();
		Probe readiness = container.getReadinessProbe();
		if (startup == null || liveness == null || readiness == null) {
			violations.add(new Violation("probes", where, "needs startup, liveness and readiness probes"));
			return;
		}
		if (!hub) {
			return;
		}
		if (!httpPath(liveness).equals("/actuator/health/liveness")
				|| !httpPath(startup).equals("/actuator/health/liveness")) {
			violations.add(new Violation("probes", where, "startup and liveness probe /actuator/health/liveness"));
		}
		if (!httpPath(readiness).equals("/actuator/health/readiness")) {
			violations.add(new Violation("probes", where, "readiness probes /actuator/health/readiness"));
		}
		String include = env(container, "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE").orElse("");
		List<String> members = List.of(include.split(","));
		boolean database = container.getEnv().stream().anyMatch((var) -> "HUB_POSTGRES_PASSWORD".equals(var.getName()));
		if (!members.contains("readinessState") || !members.contains("redis")
				|| (database && !members.contains("r2dbc"))) {
			violations.add(new Violation("readiness", where, "the readiness group must include readinessState, redis"
					+ (database ? " and r2dbc" : "") + "; is '" + include + "'"));
		}
		boolean gateway = env(container, "HUB_SERVICES").filter("gateway"::equals).isPresent();
		if (gateway && !members.contains("warmUp")) {
			violations.add(new Violation("readiness", where,
					"a gateway's readiness group must include warmUp (a fresh gateway takes traffic once its code is warm); is '"
							+ include + "'"));
		}
	}

	private static String httpPath(Probe probe) {
		return (probe.getHttpGet() != null) ? probe.getHttpGet().getPath() : "";
	}

	private static void resources(ResourceRequirements resources, String where, List<Violation> violations) {
		for (String kind : new String[] { "cpu", "memory" }) {
			Quantity request = (resources == null || resources.getRequests() == null) ? null
					: resources.getRequests().get(kind);
			Quantity limit = (resources == null || resources.getLimits() == null) ? null
					: resources.getLimits().get(kind);
			if (request == null || limit == null) {
				violations.add(new Violation("resources", where, "needs a " + kind + " request and limit"));
			}
			else if (Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
				violations.add(new Violation("resources", where, kind + " request above its limit"));
			}
		}
	}

	private static void security(Container container, boolean podNonRoot, String where, List<Violation> violations) {
		SecurityContext context = container.getSecurityContext();
		if (context == null) {
			violations.add(new Violation("securityContext", where, "no securityContext"));
			return;
		}
		boolean nonRoot = (context.getRunAsNonRoot() != null) ? context.getRunAsNonRoot() : podNonRoot;
		if (!nonRoot || (context.getRunAsUser() != null && context.getRunAsUser() == 0)) {
			violations.add(new Violation("securityContext", where, "must run as non-root"));
		}
		if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
			violations.add(new Violation("securityContext", where, "root file system must be read-only"));
		}
		if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())
				|| Boolean.TRUE.equals(context.getPrivileged())) {
			violations.add(new Violation("securityContext", where, "must not escalate privileges"));
		}
		if (context.getCapabilities() == null || !context.getCapabilities().getDrop().contains("ALL")
				|| !context.getCapabilities().getAdd().isEmpty()) {
			violations.add(new Violation("securityContext", where, "must drop ALL capabilities and add none"));
		}
		if (container.getVolumeMounts().stream().noneMatch((mount) -> "/tmp".equals(mount.getMountPath()))) {
			violations.add(new Violation("securityContext", where, "a read-only root needs a writable /tmp"));
		}
	}

	private static void image(String image, String where, List<Violation> violations) {
		if (image == null || image.isBlank()) {
			violations.add(new Violation("image", where, "no image"));
			return;
		}
		if (image.contains("@sha256:")) {
			return;
		}
		String name = Kustomize.imageName(image);
		String tag = image.substring(name.length());
		if (tag.isEmpty() || tag.equals(":latest")) {
			violations.add(new Violation("image", where, "image " + image + " is not pinned to a tag or digest"));
		}
	}

	private static void secrets(Container container, String where, List<Violation> violations) {
		for (EnvVar var : container.getEnv()) {
			if (var.getValue() != null && SECRET_NAME.matcher(var.getName().toUpperCase(Locale.ROOT)).matches()) {
				violations.add(new Violation("secrets", where,
						var.getName() + " holds a value; take it from a Secret (valueFrom)"));
			}
		}
	}

	private static Optional<String> env(Container container, String name) {
		return container.getEnv()
			.stream()
			.filter((var) -> name.equals(var.getName()) && var.getValue() != null)
			.map(EnvVar::getValue)
			.findFirst();
	}

	/** Seconds the preStop hook waits (a sleep), 0 for another hook, -1 for none. */
	static int preStopSeconds(Lifecycle lifecycle) {
		if (lifecycle == null || lifecycle.getPreStop() == null) {
			return -1;
		}
		var preStop = lifecycle.getPreStop();
		if (preStop.getSleep() != null) {
			return preStop.getSleep().getSeconds().intValue();
		}
		if (preStop.getExec() != null) {
			List<String> command = preStop.getExec().getCommand();
			if (command.size() == 2 && command.get(0).equals("sleep") && command.get(1).matches("\\d+")) {
				return Integer.parseInt(command.get(1));
			}
			return 0;
		}
		return (preStop.getHttpGet() != null) ? 0 : -1;
	}

}
