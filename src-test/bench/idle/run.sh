#!/usr/bin/env bash
# Idle cost of the agent: one quiet log file shipped to a Loki stand-in and sFlow sampling on lo
# (1-in-400), measured for 60 s after a warm-up: CPU seconds and % of a core, wake-ups per second
# (voluntary context switches, per thread), threads, RSS and VmHWM. Baselines in the same run: a bare
# JVM with the launcher's flags that only sleeps (the floor for any JVM agent) and, when given,
# hsflowd (sFlow only). Prints the load average. Runs on demand, as root (packet capture).
#
#   src-test/bench/idle/run.sh [--seconds 60] [--warmup 20] [--agent-opts "-XX:..."] [--nmt true]
#       [--only agent,jvm,hsflowd] [--hsflowd PATH/hsflowd --hsflowd-modules DIR]
#
# --nmt true adds -XX:NativeMemoryTracking=summary and prints where the agent's memory is committed.
# hsflowd: see src-test/bench/sflow/run.sh for building one outside the checkout.
# Needs: mvn -B -DskipTests package, libpcap0.8.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
[ -f "$root/agent/target/agent.jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root (packet capture on lo)" >&2; exit 2; }
exec java -Dtailflow.root="$root" "$root/src-test/bench/idle/IdleBench.java" "$@"
