package dev.agenthub.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The renderer does what kustomize does for the features it supports, and no more. */
class KustomizeTests {

	@TempDir
	Path dir;

	@BeforeEach
	void base() throws IOException {
		Files.createDirectories(this.dir.resolve("base"));
		Files.writeString(this.dir.resolve("base/app.yaml"), """
				apiVersion: v1
				kind: Namespace
				metadata:
				  name: demo
				---
				apiVersion: apps/v1
				kind: Deployment
				metadata:
				  name: web
				spec:
				  replicas: 1
				  selector:
				    matchLabels: {app: web}
				  template:
				    metadata:
				      labels: {app: web}
				    spec:
				      containers:
				        - name: web
				          image: registry.local:5000/web
				          args: ["a", "b"]
				""");
		Files.writeString(this.dir.resolve("base/kustomization.yaml"), """
				namespace: demo
				labels:
				  - pairs: {team: hub}
				    includeTemplates: true
				resources: [app.yaml]
				""");
	}

	@Test
	void shouldApplyNamespaceLabelsImagesReplicasAndPatches() throws IOException {
		overlay("""
				resources: [../base]
				images:
				  - name: registry.local:5000/web
				    newTag: "1.2.3"
				replicas:
				  - name: web
				    count: 3
				patches:
				  - target: {kind: Deployment, name: web}
				    patch: |-
				      - op: add
				        path: /spec/template/spec/containers/0/args/-
				        value: c
				      - op: replace
				        path: /spec/template/spec/containers/0/args/0
				        value: z
				      - op: remove
				        path: /spec/template/spec/containers/0/args/1
				""");
		List<ObjectNode> all = Kustomize.render(this.dir.resolve("overlay"));
		ObjectNode web = Overlays.find(all, "Deployment", "web");
		assertThat(web.at("/metadata/namespace").asText()).isEqualTo("demo");
		assertThat(Overlays.find(all, "Namespace", "demo").at("/metadata/namespace").isMissingNode()).isTrue();
		assertThat(web.at("/metadata/labels/team").asText()).isEqualTo("hub");
		assertThat(web.at("/spec/template/metadata/labels/team").asText()).isEqualTo("hub");
		assertThat(web.at("/spec/selector/matchLabels").has("team")).isFalse();
		assertThat(web.at("/spec/replicas").asInt()).isEqualTo(3);
		assertThat(web.at("/spec/template/spec/containers/0/image").asText())
			.isEqualTo("registry.local:5000/web:1.2.3");
		assertThat(web.at("/spec/template/spec/containers/0/args").toString()).isEqualTo("[\"z\",\"c\"]");
	}

	@Test
	void shouldRejectAFieldItDoesNotRender() throws IOException {
		overlay("""
				resources: [../base]
				commonLabels: {a: b}
				""");
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> Kustomize.render(this.dir.resolve("overlay")))
			.withMessageContaining("commonLabels");
	}

	@Test
	void shouldRejectAPatchThatMatchesNothing() throws IOException {
		overlay("""
				resources: [../base]
				patches:
				  - target: {kind: Deployment, name: api}
				    patch: "[]"
				""");
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> Kustomize.render(this.dir.resolve("overlay")))
			.withMessageContaining("matches no resource");
	}

	@Test
	void shouldRejectAPatchOfAMissingPath() throws IOException {
		overlay("""
				resources: [../base]
				patches:
				  - target: {kind: Deployment}
				    patch: |-
				      - op: replace
				        path: /spec/strategy/type
				        value: Recreate
				""");
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> Kustomize.render(this.dir.resolve("overlay")))
			.withMessageContaining("/spec/strategy/type");
	}

	@Test
	void shouldRejectAMissingResource() throws IOException {
		overlay("resources: [../base, extra.yaml]\n");
		assertThatExceptionOfType(ManifestException.class)
			.isThrownBy(() -> Kustomize.render(this.dir.resolve("overlay")))
			.withMessageContaining("extra.yaml");
	}

	private void overlay(String kustomization) throws IOException {
		Files.createDirectories(this.dir.resolve("overlay"));
		Files.writeString(this.dir.resolve("overlay/kustomization.yaml"), kustomization);
	}

}
