#!/usr/bin/env bash
# sFlow sampling cost: floods a veth pair (into a namespace this script's Java program creates,
# 10.201.0.0/16 addresses only) with small UDP packets as fast as this machine can, while the
# packaged agent samples the root-side end 1-in-400 and 1-in-100 in the kernel; measures the
# agent's CPU % and RSS, packets generated and samples received, and prints CPU % per 100 kpps and
# the effective rate error, against baselines measured in the same run (idle agent; user-space
# sampling at 1-in-400). Runs on demand, as root; not part of `mvn verify`.
#
#   src-test/bench/sflow/run.sh [--seconds 30] [--idle-seconds 10] [--warmup 20] [--only kernel-400]
#                               [--agent-opts "-Dtailflow.sflow.bufferMillis=100"]
#
# Needs: mvn -B -DskipTests package (agent.jar, lib/, agent-tests.jar), iproute2, libpcap0.8.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build="$root/agent/target"
for f in agent.jar agent-tests.jar; do
  [ -f "$build/$f" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (network namespace, packet capture)" >&2; exit 2; }
exec java -cp "$build/agent.jar:$build/lib/*:$build/agent-tests.jar" -Dtailflow.root="$root" \
  "$root/src-test/bench/sflow/SflowBench.java" "$@"
