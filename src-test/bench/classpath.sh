#!/usr/bin/env bash
# Prints the class path the benches run with (from the checkout's root, after `mvn package`):
# src-test's and agent's classes, the agent's runtime jars, and the test-scope jars the Loki
# stand-in needs (aircompressor decodes the agent's snappy pushes; it is not an agent runtime jar).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version=$(sed -n 's:.*<aircompressor.version>\(.*\)</aircompressor.version>.*:\1:p' "$root/pom.xml")
aircompressor="${HOME}/.m2/repository/io/airlift/aircompressor/${version}/aircompressor-${version}.jar"
if [ ! -f "$aircompressor" ]; then
  echo "classpath.sh: $aircompressor missing; run mvn -B -DskipTests package first" >&2
  exit 2
fi
echo "$root/src-test/target/test-classes:$root/agent/target/test-classes:$root/agent/target/agent.jar:$root/agent/target/lib/*:$aircompressor"
