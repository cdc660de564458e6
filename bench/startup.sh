#!/bin/sh
# Time to ready: starts one hub service from the launcher jar (or an extracted image
# layout) and prints the milliseconds from exec until /actuator/health/readiness is UP.
#   bench/startup.sh <gateway|agent|broadcast|integration> [java options...]
# Environment: HUB_STARTUP_JAR (default hub-launcher/target/hub-launcher.jar) and the
# usual HUB_* variables (engine, Redis, PostgreSQL); HUB_STARTUP_HOLD=<seconds> keeps the
# service running that long after ready (e.g. for a training run), then stops it.
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/select-jdk.sh
service=$1
shift
case "$service" in
  gateway) port=${HUB_GATEWAY_PORT:-8080} ;;
  agent) port=${HUB_AGENT_PORT:-8081} ;;
  broadcast) port=${HUB_BROADCAST_PORT:-8082} ;;
  integration) port=${HUB_INTEGRATION_PORT:-8083} ;;
  *) echo "unknown service: $service" >&2; exit 2 ;;
esac
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is taken already; choose another with HUB_GATEWAY_PORT, HUB_AGENT_PORT, ..." >&2
  exit 1
fi
jar=${HUB_STARTUP_JAR:-hub-launcher/target/hub-launcher.jar}
log=$(mktemp)
start=$(date +%s%3N)
HUB_SERVICES=$service "$JAVA_HOME/bin/java" "$@" -jar "$jar" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
until curl -fs "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; do
  if ! kill -0 $pid 2>/dev/null; then
    cat "$log" >&2
    echo "$service exited before it was ready" >&2
    exit 1
  fi
  sleep 0.05
done
ready=$(date +%s%3N)
# CPU the JVM spent until ready (utime + stime, in clock ticks): on a busy machine the
# wall time mostly measures the other processes; this does not.
ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "$service ready in $((ready - start)) ms, $((ticks * 1000 / $(getconf CLK_TCK))) ms CPU, load $(cut -d' ' -f1 /proc/loadavg)"
if [ -n "${HUB_STARTUP_HOLD:-}" ]; then
  sleep "$HUB_STARTUP_HOLD"
fi
kill $pid
wait $pid 2>/dev/null || true
