#!/usr/bin/env bash
# Benchmark, on demand (not in CI), as root: the agent's footprint under the shipped unit in a real
# systemd host (nspawn host 159): exec to READY=1, VmRSS and VmHWM after an idle period with 10
# tailed files and sampling on, for the launcher's flags and a baseline (C2 back) measured in the
# same run; prints the load average and the launcher/baseline ratios.
# Usage: src-test/bench/service/under-unit.sh [IDLE_SECONDS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q -DskipTests -pl src-test -am package test-compile
exec java -Dtailflow.root="$PWD" \
  -cp "$(src-test/bench/classpath.sh)" \
  tailflow.systemtest.service.ServiceFootprintBench "${1:-20}"
