#!/usr/bin/env bash
# Logs benchmark, on demand (not in CI): the packaged agent ships a cached file of ~120-byte
# syslog lines into the Loki-compatible receiver on 127.0.0.1; the floor (read + split +
# snappy, one thread, no HTTP) is measured in the same run and agent/floor ratios printed.
# Usage: src-test/bench/logs/run.sh [MiB]   (default 1024; the file is cached under
# /var/cache/tailflow-test). Agent JVM flags are the launcher's (packaging/bin/agent).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q -DskipTests -pl src-test -am package test-compile
exec java -Xmx512m -Dtailflow.bench=true -Dtailflow.root="$PWD" -cp "src-test/target/test-classes:agent/target/agent.jar:agent/target/lib/*" \
  tailflow.systemtest.logs.LogsBenchmark "${1:-1024}"
