#!/bin/sh
# Creates the Secrets the manifests reference (no secret value is committed), once per
# cluster; existing Secrets are kept. Random passwords and JWT secret; set them yourself
# by exporting HUB_AUTH_JWT_SECRET (or HUB_AUTH_JWK_SET_URI), HUB_REDIS_PASSWORD,
# HUB_POSTGRES_PASSWORD, HUB_TAILSCALE_API_KEY (+ HUB_TAILSCALE_TAILNET) first.
# TLS: TLS_CERT and TLS_KEY files, else (dev only) a self-signed certificate.
#   k8s/create-secrets.sh [dev|prod]
set -eu
overlay=${1:-prod}
ns=agent-hub
random() { openssl rand -hex 32; }
exists() { kubectl -n "$ns" get secret "$1" >/dev/null 2>&1; }

kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"

if ! exists hub-auth; then
  if [ -n "${HUB_AUTH_JWK_SET_URI:-}" ]; then
    kubectl -n "$ns" create secret generic hub-auth --from-literal=HUB_AUTH_JWK_SET_URI="$HUB_AUTH_JWK_SET_URI" \
      ${HUB_AUTH_SERVICE_TOKEN:+--from-literal=HUB_AUTH_SERVICE_TOKEN="$HUB_AUTH_SERVICE_TOKEN"}
  else
    kubectl -n "$ns" create secret generic hub-auth --from-literal=HUB_AUTH_JWT_SECRET="${HUB_AUTH_JWT_SECRET:-$(random)}"
  fi
fi
if ! exists hub-redis; then
  password=${HUB_REDIS_PASSWORD:-$(random)}
  # Hex passwords need no escaping in the URL.
  kubectl -n "$ns" create secret generic hub-redis --from-literal=password="$password" \
    --from-literal=url="redis://:$password@redis:6379"
fi
if ! exists hub-postgres; then
  kubectl -n "$ns" create secret generic hub-postgres --from-literal=password="${HUB_POSTGRES_PASSWORD:-$(random)}"
fi
if ! exists hub-tailscale && [ -n "${HUB_TAILSCALE_API_KEY:-}" ]; then
  kubectl -n "$ns" create secret generic hub-tailscale --from-literal=HUB_TAILSCALE_API_KEY="$HUB_TAILSCALE_API_KEY" \
    --from-literal=HUB_TAILSCALE_TAILNET="${HUB_TAILSCALE_TAILNET:--}"
fi
if ! exists hub-tls; then
  if [ -n "${TLS_CERT:-}" ]; then
    kubectl -n "$ns" create secret tls hub-tls --cert="$TLS_CERT" --key="$TLS_KEY"
  elif [ "$overlay" = dev ]; then
    dir=$(mktemp -d)
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=hub.localtest.me" \
      -addext "subjectAltName=DNS:hub.localtest.me,DNS:agents.hub.localtest.me" \
      -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
    kubectl -n "$ns" create secret tls hub-tls --cert="$dir/tls.crt" --key="$dir/tls.key"
    rm -rf "$dir"
  else
    echo "hub-tls is missing: set TLS_CERT and TLS_KEY (or let cert-manager create it)" >&2
    exit 1
  fi
fi
echo "secrets ready; now: kubectl apply -k k8s/overlays/$overlay"
