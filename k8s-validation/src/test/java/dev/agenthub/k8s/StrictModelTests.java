package dev.agenthub.k8s;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Resources are read against the API model: unknown fields, types and kinds fail. */
class StrictModelTests {

	@Test
	void shouldRejectAnUnknownFieldDeepInAPodTemplate() {
		List<ObjectNode> all = Overlays.render("overlays/prod");
		((ObjectNode) Overlays.find(all, "Deployment", "gateway").at("/spec/template/spec/containers/0/readinessProbe"))
			.put("initialDelay", 5);
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> StrictModel.read(all))
			.withMessageContaining("Deployment/gateway")
			.withMessageContaining("initialDelay")
			.withMessageContaining("readinessProbe");
	}

	@Test
	void shouldRejectAMisspelledTopLevelField() {
		List<ObjectNode> all = Overlays.render("overlays/dev");
		ObjectNode service = Overlays.find(all, "Service", "agent");
		service.set("specs", service.remove("spec"));
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> StrictModel.read(all))
			.withMessageContaining("specs");
	}

	@Test
	void shouldRejectAValueOfTheWrongType() {
		List<ObjectNode> all = Overlays.render("overlays/prod");
		((ObjectNode) Overlays.find(all, "Deployment", "agent").get("spec")).put("replicas", "two");
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> StrictModel.read(all))
			.withMessageContaining("Deployment/agent");
	}

	@Test
	void shouldRejectAnUnknownApiVersion() {
		List<ObjectNode> all = Overlays.render("overlays/prod");
		Overlays.find(all, "HorizontalPodAutoscaler", "gateway").put("apiVersion", "autoscaling/v2beta1");
		assertThatExceptionOfType(ManifestException.class).isThrownBy(() -> StrictModel.read(all))
			.withMessageContaining("autoscaling/v2beta1/HorizontalPodAutoscaler");
	}

	@Test
	void shouldReadEveryResourceOfAnOverlay() {
		assertThat(Overlays.read("overlays/prod")).hasSize(Overlays.render("overlays/prod").size());
	}

}
