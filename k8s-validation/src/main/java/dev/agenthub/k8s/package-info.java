/**
 * Validation of the hub's Kubernetes manifests ({@code k8s/}): {@link Kustomize} renders
 * an overlay the way {@code kubectl apply -k} does (for the kustomization features the
 * manifests use), {@link StrictModel} reads every resource against the Kubernetes API
 * model with unknown fields failing, and {@link WorkloadRules} and {@link ClusterRules}
 * check the deployment rules (probes, resources, drain, security, images, disruption
 * budgets, autoscaling, ingress routing, network isolation, no secret values).
 */
package dev.agenthub.k8s;
