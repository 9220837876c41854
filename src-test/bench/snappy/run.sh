#!/usr/bin/env bash
# Snappy encoder benchmark, on demand (not in CI): the agent's SnappyBlockEncoder against
# aircompressor's SnappyCompressor, CPU MiB/s and the ratio, with the launcher's JIT setting
# (C1 only, -XX:TieredStopAtLevel=1) and with the JVM's default (C1 + C2). Load average printed.
#   src-test/bench/snappy/run.sh [--mib 64] [--rounds 15]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q -pl agent compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/agent/target/snappy-bench.cp"
cp="agent/target/classes:$(cat agent/target/snappy-bench.cp)"
for flags in "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1" ""; do
  echo "== java -XX:+UseSerialGC -Xmx256m $flags"
  # shellcheck disable=SC2086
  java -XX:+UseSerialGC -Xmx256m $flags -cp "$cp" src-test/bench/snappy/SnappyBench.java "$@"
done
