#!/usr/bin/env bash
# sFlow sampling cost, side by side with hsflowd when a build of it is given: sends small UDP
# packets at a fixed rate (default 100 kpps) through lo (default) or a veth pair into a namespace
# this script's Java program creates (perfsflowbench, 10.201.251.0/24), while the packaged agent
# (or hsflowd) samples that device 1-in-400 and 1-in-100 in the kernel. Measures the sampler's CPU
# seconds, wake-ups (voluntary context switches), RSS, packets sent and flow samples received, and
# prints CPU % per 100 kpps, the effective sampling rate's error, the idle cost and the ratios
# agent/hsflowd and user-space/kernel sampling, all measured in the same run, with the load average.
# Runs on demand, as root; not part of `mvn verify`.
#
#   src-test/bench/sflow/run.sh [--dev lo|veth] [--pps 100000] [--seconds 30] [--idle-seconds 30]
#       [--warmup 15] [--only idle,k400,k100,user400,hidle,h400,h100] [--agent-opts "-Dx=y"]
#       [--hsflowd PATH/hsflowd --hsflowd-modules DIR]
#
# hsflowd side by side (built outside the checkout, nothing of it is kept here):
#   git clone https://github.com/sflow/host-sflow && cd host-sflow && git checkout v2.1.25-4
#   apt-get install libpcap-dev && make FEATURES=PCAP CLANG=gcc
#   run.sh --hsflowd $PWD/src/Linux/hsflowd --hsflowd-modules $PWD/src/Linux
#
# Needs: mvn -B -DskipTests package (agent.jar, lib/), iproute2, libpcap0.8.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
[ -f "$root/agent/target/agent.jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root (packet capture, network namespace)" >&2; exit 2; }
exec java -Dtailflow.root="$root" "$root/src-test/bench/sflow/SflowBench.java" "$@"
