#!/bin/sh
# chromium - the agent hub's CDP shim: a stand-in for Chrome that relays the Chrome
# DevTools Protocol to a real Chrome at $CDP_HOST:$CDP_PORT (default port 9222).
# This file is a shell launcher with the shim's jar appended; java reads the jar from
# the end of this same file. It needs Java 21 or newer, looked for in $CDP_SHIM_JAVA,
# $JAVA_HOME, java on PATH, then the usual JDK directories. $CDP_SHIM_JAVA_OPTS adds JVM
# options.

java_feature() {
	home=$(dirname "$(dirname "$1")")
	v=""
	if [ -r "$home/release" ]; then
		v=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release" 2>/dev/null)
	fi
	if [ -z "$v" ]; then
		v=$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
	fi
	case "$v" in
		1.*) echo 1 ;;
		[0-9]*) echo "${v%%[!0-9]*}" ;;
		*) echo 0 ;;
	esac
}

usable() {
	[ -n "$1" ] && [ -x "$1" ] && [ ! -d "$1" ] || return 1
	[ "$(java_feature "$1")" -ge 21 ] 2>/dev/null
}

try_java() {
	if usable "$1"; then
		echo "$1"
		return 0
	fi
	return 1
}

pick_java() {
	try_java "$CDP_SHIM_JAVA" && return 0
	[ -n "$JAVA_HOME" ] && try_java "$JAVA_HOME/bin/java" && return 0
	# Every java on PATH, not just the first: the first is often an older default.
	set -f
	old_ifs=$IFS
	IFS=:
	for dir in $PATH; do
		candidate="${dir:-.}/java"
		if [ -x "$candidate" ]; then
			candidate=$(readlink -f "$candidate" 2>/dev/null || echo "$candidate")
			if try_java "$candidate"; then
				IFS=$old_ifs
				set +f
				return 0
			fi
		fi
	done
	IFS=$old_ifs
	set +f
	for candidate in /usr/lib/jvm/*/bin/java /opt/java/openjdk/bin/java /usr/local/openjdk-*/bin/java \
		/opt/jdk*/bin/java; do
		try_java "$candidate" && return 0
	done
	return 1
}

if ! java=$(pick_java); then
	echo "chromium (CDP shim): needs Java 21 or newer; none found in CDP_SHIM_JAVA, JAVA_HOME, PATH or /usr/lib/jvm." >&2
	echo "chromium (CDP shim): install one (e.g. apt-get install -y openjdk-21-jre-headless) or set JAVA_HOME." >&2
	exit 1
fi

# Start fast (launchers wait for the DevTools line) and stay small: one client, few threads.
# JVM messages go to stderr, never stdout (tools parse `chromium --version`).
opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr"

# Class data sharing: the first run records the classes it loads in an archive under the
# user's cache directory, later runs map it and start about twice as fast. The JVM checks
# the archive against this very file and rebuilds it when the file changes.
# CDP_SHIM_CDS=0 turns it off.
feature=$(java_feature "$java")
cache="${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}"
if [ "${CDP_SHIM_CDS:-1}" != 0 ] && [ "$feature" -ge 19 ] && [ -n "$cache" ] \
	&& mkdir -p "$cache/cdp-shim" 2>/dev/null && [ -w "$cache/cdp-shim" ]; then
	key=$(printf '%s' "$0" | cksum | cut -d ' ' -f 1)
	opts="$opts -XX:SharedArchiveFile=$cache/cdp-shim/chromium-$key-java$feature.jsa -XX:+AutoCreateSharedArchive"
fi

exec "$java" $opts --add-opens=java.base/java.io=ALL-UNNAMED $CDP_SHIM_JAVA_OPTS -jar "$0" "$@"
exit 1
