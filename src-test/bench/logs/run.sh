#!/usr/bin/env bash
# Logs benchmark, on demand (not in CI): the packaged agent ships a cached file of ~120-byte
# syslog lines into nginx answering 204 (the issue's sink: decodes nothing; prerequisite: Debian
# nginx-light, `apt-get install nginx-light`, not needed by tests) and into the Loki-compatible
# receiver on 127.0.0.1 (decodes every push and checks each line arrived once); the floor (read + split +
# snappy, one thread, no HTTP) is measured in the same run and agent/floor ratios printed, with
# CPU s/GiB per thread, peak RSS, GC and allocation per GiB and the load average.
# Usage: src-test/bench/logs/run.sh [MiB] [--sink nginx|receiver|nginx,receiver] [--stages [--entry-path]]
#   (default 1024 MiB, both sinks when nginx is installed; --stages runs the agent a second
# time with a regex+labels+timestamp pipeline and prints the CPU ratio; --entry-path adds a run with
# one no-op stage, the cost of leaving the plain path alone; the file is cached under
# /var/cache/tailflow-test). Agent JVM flags are the launcher's (packaging/bin/agent).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q -DskipTests -pl src-test -am package  # package compiles the tests too (-DskipTests only skips running them)
# the agent logs its collections to a file: GC count, pause and allocation per GiB are read from it
gc_log=$(mktemp -t tailflow-bench-gc.XXXXXX)
export TAILFLOW_BENCH_JAVA_OPTS="-Xlog:gc:file=$gc_log ${TAILFLOW_BENCH_JAVA_OPTS:-}"
rc=0
java -Xmx512m -Dtailflow.bench=true -Dtailflow.bench.gcLog="$gc_log" -Dtailflow.root="$PWD" -cp "$(src-test/bench/classpath.sh)" \
  tailflow.systemtest.logs.LogsBenchmark "${1:-1024}" "${@:2}" || rc=$?
rm -f "$gc_log"
exit $rc
