# Sourced by ./mvnw and ./hub: makes sure a JDK >= 21 runs the build and the hub.
# Keeps JAVA_HOME (or the java on PATH) when it is new enough; otherwise picks the
# newest JDK >= 21 under /usr/lib/jvm or /opt/java, so no one sets JAVA_HOME by hand.
hub_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | sed 's/^1\.//' | head -n 1
}
hub_select_jdk() {
  hub_required=21
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    hub_v=$(hub_java_major "$JAVA_HOME/bin/java")
    [ "${hub_v:-0}" -ge "$hub_required" ] && return 0
  elif command -v java >/dev/null 2>&1; then
    hub_v=$(hub_java_major java)
    [ "${hub_v:-0}" -ge "$hub_required" ] && return 0
  fi
  hub_best="" hub_best_v=0
  for hub_d in /usr/lib/jvm/* /opt/java/* "${HOME:-/root}"/.sdkman/candidates/java/*; do
    [ -x "$hub_d/bin/javac" ] || continue
    hub_v=$(hub_java_major "$hub_d/bin/java")
    if [ "${hub_v:-0}" -ge "$hub_required" ] && [ "${hub_v:-0}" -gt "$hub_best_v" ]; then
      hub_best="$hub_d" hub_best_v="$hub_v"
    fi
  done
  if [ -z "$hub_best" ]; then
    echo "error: a JDK >= $hub_required is needed; none found on JAVA_HOME, PATH or /usr/lib/jvm" >&2
    return 1
  fi
  JAVA_HOME="$hub_best"
  export JAVA_HOME
}
case $- in *f*) hub_noglob=1; set +f ;; *) hub_noglob=0 ;; esac
hub_select_jdk || exit 1
[ "$hub_noglob" = 1 ] && set -f
unset hub_noglob
