#!/bin/sh
# CPU profile of a running JVM (the bench hub, a storm gateway, a generator worker) with
# async-profiler: Java, JVM (JIT compilers, GC) and kernel frames, per thread, which JFR's
# Java-only samples do not show.
#   bench/profile.sh <pid> start              starts sampling every millisecond of CPU
#   bench/profile.sh <pid> stop <file>        stops; writes <file> (collapsed stacks, one
#                                             line per stack, the thread first) and prints
#                                             the CPU share by thread group and the top
#                                             frames by self time
#   bench/profile.sh <pid> <seconds> <file>   both, around a sleep
#   bench/profile.sh summary <file>           the summary of a file written before
# Fetches tools.profiler:async-profiler from Maven Central into bench/target/async-profiler
# on first use (linux-x64). Needs perf events (root, or kernel.perf_event_paranoid <= 1).
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/select-jdk.sh
hub_select_jdk
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
version=4.1
dir=bench/target/async-profiler
lib=$(pwd)/$dir/linux-x64/libasyncProfiler.so

fetch() {
  [ -f "$lib" ] && return 0
  mkdir -p "$dir"
  ./mvnw -q dependency:copy -Dartifact=tools.profiler:async-profiler:$version \
    -DoutputDirectory="$dir" < /dev/null >&2
  (cd "$dir" && unzip -q -o "async-profiler-$version.jar" 'linux-x64/*')
}

# jcmd would read "a=b" in an option as a named argument of its own: the agent's options go
# quoted inside the argument
agent() { # pid options
  out=$("$JCMD" "$1" JVMTI.agent_load "$lib" "\"$2\"")
  case "$out" in
    *"return code: 0"*) ;;
    *) echo "$out" >&2; echo "error: the profiler did not take '$2' (see the process's stdout)" >&2; exit 1 ;;
  esac
}

summary() { # file
  awk '{
    n = $NF; total += n
    split($0, frames, ";"); thread = frames[1]
    gsub(/ tid=[0-9]+\]/, "]", thread); gsub(/-[0-9]+/, "-N", thread); gsub(/#[0-9]+/, "#N", thread)
    byThread[thread] += n
    line = $0; sub(/ [0-9]+$/, "", line); k = split(line, f, ";"); self[f[k]] += n
  }
  END {
    printf "%d samples (about one per millisecond of CPU)\n-- by thread group\n", total
    for (t in byThread) printf "%5.1f%% %s\n", 100 * byThread[t] / total, t | "sort -rn | head -15"
    close("sort -rn | head -15")
    print "-- frames by self time"
    for (s in self) printf "%5.1f%% %s\n", 100 * self[s] / total, substr(s, 1, 150) | "sort -rn | head -25"
  }' "$1"
}

case "${1:-}" in
  summary) summary "$2"; exit 0 ;;
  ""|-h|--help) sed -n 2,15p "$0"; exit 2 ;;
esac
pid=$1
fetch
start() { agent "$pid" "start,event=cpu,interval=1ms,threads"; }
stop() { # file
  file=$(realpath -m "$1")
  agent "$pid" "stop,file=$file,collapsed"
  summary "$file"
}
case "${2:-}" in
  start) start ;;
  stop) stop "$3" ;;
  *) start; sleep "$2"; stop "$3" ;;
esac
