#!/bin/sh
# Benchmark harness (see docs/benchmarks.md).
#   bench/run.sh <scenario> [--name=value]...    one scenario against servers already running
#   bench/run.sh compare <scenario> [--name=value]...
#                       starts (when not running) a bench hub and the incumbent, runs the scenario
#                       against hub-raw, hub-sio and incumbent back to back in one JVM, prints the
#                       pairs and ratios, stops what it started (BENCH_KEEP=1 keeps them)
#   bench/run.sh up | down                       start / stop the bench hub and the incumbent
#   bench/run.sh incumbent-up | incumbent-down   only the incumbent
#   bench/run.sh hub-up | hub-down               only the bench hub
#   bench/run.sh storm [--name=value]...          reconnect storm: gateways A and B (gateway-only
#                       processes on BENCH_HUB_PORT_BASE+100 and +200) beside the bench hub; kill -9 A
#   bench/run.sh storm-incumbent [--name=value]... the storm against two incumbent processes
#                       (A, B on BENCH_INCUMBENT_PORT+100 / +200), every client Socket.IO
#   bench/run.sh soak [--duration=60m] [--name=value]...   soak against the bench hub (log scanned)
#   bench/run.sh restart-for <target>            a fresh hub (hub-raw, hub-sio) or incumbent
# Scenarios: latency fanout idle storm soak channels recovery agents engine.
# Builds bench/target/bench.jar when missing or older than the harness sources; the incumbent's
# node_modules with `npm ci` when missing or older than its package-lock.json.
# BENCH_JAVA_OPTS: JVM options of the generator (default a small heap).
# The bench hub: HUB_ENGINE=redis on ports BENCH_HUB_PORT_BASE..+3 (18080..18083), Redis keys under
# bench:, PostgreSQL database BENCH_PG_DB (benchhub, created when missing), its own HUB_* settings
# passed through (e.g. HUB_GATEWAY_PRESENCE_AUDIENCE); the hub's JVM options (./hub jvm-options)
# and BENCH_HUB_JAVA_OPTS after them.
# The incumbent: node bench/incumbent/server.js on BENCH_INCUMBENT_PORT (13000), adapter channels
# under bench-incumbent (Redis pub/sub is not scoped by database index).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
. ./.mvn/select-jdk.sh
hub_select_jdk
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=bench/target/bench.jar
state=bench/results/tmp
mkdir -p "$state"
hub_base=${BENCH_HUB_PORT_BASE:-18080}
inc_port=${BENCH_INCUMBENT_PORT:-13000}
pg_db=${BENCH_PG_DB:-benchhub}

if [ -z "${HUB_AUTH_JWT_SECRET:-}" ]; then
  [ -f "$state/secret" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$state/secret"
  HUB_AUTH_JWT_SECRET=$(cat "$state/secret")
fi
export HUB_AUTH_JWT_SECRET

build_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find bench/src bench/pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
    echo "building the benchmark harness..." >&2
    ./mvnw -q -pl bench -am package -DskipTests
    touch "$jar" # an unchanged jar is not rewritten; mark it current
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_http() { # url seconds
  i=0
  while [ "$i" -lt "$2" ]; do
    curl -fs -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1; i=$((i + 1))
  done
  echo "error: $1 did not answer within $2 s" >&2
  return 1
}

incumbent_deps() {
  (
    cd bench/incumbent
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
      echo "npm ci (bench/incumbent)..." >&2
      npm ci --no-audit --no-fund >&2
    fi
  )
}

incumbent_up() {
  if alive "$state/incumbent.pid"; then return 0; fi
  incumbent_deps
  node bench/incumbent/server.js --port="$inc_port" > "$state/incumbent.log" 2>&1 &
  echo $! > "$state/incumbent.pid"
  wait_http "http://127.0.0.1:$inc_port/health" 30
  echo "incumbent up: pid $(cat "$state/incumbent.pid"), port $inc_port" >&2
}

hub_up() {
  if alive "$state/hub.pid"; then return 0; fi
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='$pg_db'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $pg_db" >&2
  fi
  if [ ! -f hub-launcher/target/hub-launcher.jar ]; then
    echo "building the hub..." >&2
    ./mvnw -q -pl hub-launcher -am package -DskipTests >&2
  fi
  HUB_ENGINE=redis HUB_REDIS_URL=${HUB_REDIS_URL:-redis://127.0.0.1:6379} \
  HUB_POSTGRES_URL=postgresql://127.0.0.1:5432/$pg_db HUB_POSTGRES_USER=postgres \
  HUB_BROKER_KEY_PREFIX=${BENCH_HUB_KEY_PREFIX:-bench:} \
  HUB_GATEWAY_PORT=$hub_base HUB_AGENT_PORT=$((hub_base + 1)) HUB_BROADCAST_PORT=$((hub_base + 2)) \
  HUB_INTEGRATION_PORT=$((hub_base + 3)) HUB_DATABASE_DATA_DIR="$root/$state/hub-data" \
  HUB_GATEWAY_HISTORY_URL=http://127.0.0.1:$((hub_base + 2)) \
  HUB_GATEWAY_AGENT_SERVICE_URL=http://127.0.0.1:$((hub_base + 1)) \
  HUB_JAVA_OPTS=${BENCH_HUB_JAVA_OPTS:-} \
    "$JAVA" $(./hub jvm-options) ${BENCH_HUB_JAVA_OPTS:-} -jar hub-launcher/target/hub-launcher.jar > "$state/hub.log" 2>&1 &
  echo $! > "$state/hub.pid"
  wait_http "http://127.0.0.1:$((hub_base + 2))/actuator/health" 180
  wait_http "http://127.0.0.1:$hub_base/actuator/health" 60
  echo "bench hub up: pid $(cat "$state/hub.pid"), ports $hub_base..$((hub_base + 3))" >&2
}

stop_pid() { # pidfile
  if alive "$1"; then
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

hub_opts() {
  echo "--gateway=ws://127.0.0.1:$hub_base/ws --agent-url=ws://127.0.0.1:$((hub_base + 1))/agent/ws" \
       "--publish=http://127.0.0.1:$((hub_base + 2))/api/publish --hub-pid=$(cat "$state/hub.pid")" \
       "--incumbent=http://127.0.0.1:$inc_port --incumbent-pid=$(cat "$state/incumbent.pid")"
}

generator() {
  build_jar
  # a private copy: rebuilding bench.jar while a long run reads it would break its class loading
  run_jar="$state/bench-run-$$.jar"
  cp "$jar" "$run_jar"
  set +e
  # native access: Netty's epoll transport loads its library
  "$JAVA" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseParallelGC} -jar "$run_jar" "$@"
  grc=$?
  set -e
  rm -f "$run_jar"
  return $grc
}

case "${1:-}" in
  "") build_jar; exec "$JAVA" -jar "$jar" ;;
  up) incumbent_up; hub_up ;;
  down) stop_pid "$state/incumbent.pid"; stop_pid "$state/hub.pid" ;;
  incumbent-up) incumbent_up ;;
  incumbent-down) stop_pid "$state/incumbent.pid" ;;
  hub-up) hub_up ;;
  hub-down) stop_pid "$state/hub.pid" ;;
  restart-for) # a fresh server for one target (the generator's --fresh=true calls this)
    case "${2:-}" in
      incumbent) stop_pid "$state/incumbent.pid"; incumbent_up ;;
      hub-*) stop_pid "$state/hub.pid"; hub_up ;;
      *) echo "usage: bench/run.sh restart-for <hub-raw|hub-sio|incumbent>" >&2; exit 2 ;;
    esac
    ;;
  storm) # gateways A and B as separate gateway-only processes beside the bench hub; kills A
    shift
    build_jar
    hub_up
    for g in a b; do
      port=$([ "$g" = a ] && echo $((hub_base + 100)) || echo $((hub_base + 200)))
      stop_pid "$state/gateway-$g.pid"
      HUB_SERVICES=gateway HUB_ENGINE=redis HUB_REDIS_URL=${HUB_REDIS_URL:-redis://127.0.0.1:6379} \
      HUB_BROKER_KEY_PREFIX=${BENCH_HUB_KEY_PREFIX:-bench:} HUB_GATEWAY_PORT=$port \
      HUB_DATABASE_DATA_DIR="$root/$state/gateway-$g-data" \
      HUB_GATEWAY_HISTORY_URL=http://127.0.0.1:$((hub_base + 2)) \
      HUB_GATEWAY_AGENT_SERVICE_URL=http://127.0.0.1:$((hub_base + 1)) \
        "$JAVA" $(./hub jvm-options) ${BENCH_HUB_JAVA_OPTS:-} -jar hub-launcher/target/hub-launcher.jar > "$state/gateway-$g.log" 2>&1 &
      echo $! > "$state/gateway-$g.pid"
    done
    wait_http "http://127.0.0.1:$((hub_base + 100))/actuator/health" 180
    wait_http "http://127.0.0.1:$((hub_base + 200))/actuator/health" 180
    set +e
    generator storm --gateway-a=ws://127.0.0.1:$((hub_base + 100))/ws --gateway-b=ws://127.0.0.1:$((hub_base + 200))/ws \
      --gateway-a-pid="$(cat "$state/gateway-a.pid")" --gateway-b-pid="$(cat "$state/gateway-b.pid")" --publish=http://127.0.0.1:$((hub_base + 2))/api/publish \
      --hub-pid="$(cat "$state/hub.pid")" --gateway="ws://127.0.0.1:$hub_base/ws" \
      --logs="$root/$state/gateway-a.log,$root/$state/gateway-b.log,$root/$state/hub.log" "$@"
    rc=$?
    set -e
    stop_pid "$state/gateway-a.pid"
    stop_pid "$state/gateway-b.pid"
    # the scenario counted its own window; this includes gateway B's shutdown
    for g in a b; do
      echo "gateway $g log, whole run: $(grep -c 'onErrorDropped' "$state/gateway-$g.log" || true) onErrorDropped," \
        "$(grep -c 'ErrorCallbackNotImplemented' "$state/gateway-$g.log" || true) ErrorCallbackNotImplemented," \
        "$(grep -Ec 'RedisCommandTimeoutException|Command timed out' "$state/gateway-$g.log" || true) Redis timeouts," \
        "$(grep -c 'Exception: ' "$state/gateway-$g.log" || true) exceptions"
    done
    exit $rc
    ;;
  storm-incumbent) # the same storm against two incumbent processes (Socket.IO clients only)
    shift
    build_jar
    incumbent_deps
    for g in a b; do
      port=$([ "$g" = a ] && echo $((inc_port + 100)) || echo $((inc_port + 200)))
      stop_pid "$state/incumbent-$g.pid"
      node bench/incumbent/server.js --port="$port" --stamp-offsets ${BENCH_INCUMBENT_BACKLOG:+--backlog=$BENCH_INCUMBENT_BACKLOG} > "$state/incumbent-$g.log" 2>&1 &
      echo $! > "$state/incumbent-$g.pid"
    done
    wait_http "http://127.0.0.1:$((inc_port + 100))/health" 30
    wait_http "http://127.0.0.1:$((inc_port + 200))/health" 30
    redis_pid=$(redis-cli -u "${INCUMBENT_REDIS_URL:-redis://127.0.0.1:6379}" info server | tr -d '\r' | sed -n 's/^process_id://p')
    set +e
    # publishes go to B, the survivor, whose adapter relays them to A's clients until the kill
    generator storm --gateway-a=ws://127.0.0.1:$((inc_port + 100))/ws --gateway-b=ws://127.0.0.1:$((inc_port + 200))/ws \
      --gateway-a-pid="$(cat "$state/incumbent-a.pid")" --gateway-b-pid="$(cat "$state/incumbent-b.pid")" \
      --publish=http://127.0.0.1:$((inc_port + 200))/api/publish --hub-pid="$redis_pid" --aux-name=redis \
      --target=incumbent --incumbent=http://127.0.0.1:$((inc_port + 200)) --incumbent-pid="$(cat "$state/incumbent-b.pid")" \
      --sio-share=1 --logs="$root/$state/incumbent-a.log,$root/$state/incumbent-b.log" "$@"
    rc=$?
    set -e
    stop_pid "$state/incumbent-a.pid"
    stop_pid "$state/incumbent-b.pid"
    exit $rc
    ;;
  soak) # against the bench hub (started when not running), its log scanned for errors
    shift
    build_jar
    hub_up
    # shellcheck disable=SC2046
    generator soak --gateway=ws://127.0.0.1:$hub_base/ws --agent-url=ws://127.0.0.1:$((hub_base + 1))/agent/ws \
      --publish=http://127.0.0.1:$((hub_base + 2))/api/publish --hub-pid="$(cat "$state/hub.pid")" \
      --log="$root/$state/hub.log" "$@"
    ;;
  compare)
    shift
    [ $# -ge 1 ] || { echo "usage: bench/run.sh compare <scenario> [--name=value]..." >&2; exit 2; }
    scenario=$1; shift
    started=""
    alive "$state/incumbent.pid" || started="$started incumbent"
    alive "$state/hub.pid" || started="$started hub"
    build_jar
    incumbent_up
    hub_up
    set +e
    # shellcheck disable=SC2046
    generator "$scenario" --targets=hub-raw,hub-sio,incumbent $(hub_opts) "$@"
    rc=$?
    set -e
    if [ -z "${BENCH_KEEP:-}" ]; then
      for s in $started; do stop_pid "$state/$s.pid"; done
    fi
    exit $rc
    ;;
  *) generator "$@" ;;
esac
