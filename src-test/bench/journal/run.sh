#!/usr/bin/env bash
# Journal benchmark, on demand (not in CI): a cached journal of N realistic entries (default 10^6,
# built once under /var/cache/tailflow-test with systemd-journal-remote), read in the same run by
# `journalctl -o export > /dev/null` (baseline) and by the agent; prints entries/s, CPU s per 10^6
# entries, the agent/journalctl ratio (target <= 2) and the load average.
# Usage: src-test/bench/journal/run.sh [ENTRIES]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q -o -DskipTests -pl src-test -am package
exec java -Xmx512m -Dtailflow.root="$PWD" \
  -cp "$(src-test/bench/classpath.sh)" \
  tailflow.systemtest.journal.JournalBenchmark "${1:-1000000}"
