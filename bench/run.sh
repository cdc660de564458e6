#!/bin/sh
# Runs one benchmark scenario against a running hub (see docs/benchmarks.md):
#   bench/run.sh <fanout|channels|idle|recovery|agents|engine> [--name=value]...
# Builds bench/target/bench.jar when missing or older than the harness sources.
# BENCH_JAVA_OPTS adds JVM options for the generator (default: a small heap).
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/select-jdk.sh
hub_select_jdk
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=bench/target/bench.jar
if [ ! -f "$jar" ] || [ -n "$(find bench/src bench/pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "building the benchmark harness..." >&2
  ./mvnw -q -pl bench -am package -DskipTests
fi
if [ $# -eq 0 ]; then
  exec "$JAVA" -jar "$jar"
fi
exec "$JAVA" ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseParallelGC} -jar "$jar" "$@"
