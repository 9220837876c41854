#!/usr/bin/env bash
# On demand: the full armv7 host run. Builds the checkout, builds (once per machine, cached under
# /var/cache/tailflow-test/arm) a Debian armhf VM image, boots it under qemu-system-arm and lets
# the packaged provisioner roll the agent out to it as to any x86_64 host (tailflow.systemtest.arm.ArmVmIT).
# Prints the wall time of each stage; the summary is also in src-test/target/arm-vm-stages.txt.
# Needs root (binfmt, mmdebstrap) and installs its own tools (qemu-system-arm, mmdebstrap, ...).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p src-test/target
start=$(date +%s)
"src-test/fixtures/armhf-vm-image.sh" >/dev/null   # the tools and the image, before Maven's clock starts
image_s=$(( $(date +%s) - start ))
status=0
mvn -B -pl src-test -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ArmVmIT -Dfailsafe.failIfNoSpecifiedTests=false -Dtailflow.arm.vm=true \
  > src-test/target/arm-vm-mvn.log 2>&1 || status=$?
grep -E '^arm-vm' src-test/target/arm-vm-mvn.log || true
echo "image script (tools + image, cached after the first run): ${image_s} s"
cat src-test/target/arm-vm-stages.txt 2>/dev/null || true
grep -E 'Tests run:|FAIL' src-test/target/arm-vm-mvn.log | tail -3
echo "whole run: $(( $(date +%s) - start )) s (exit $status; full log: src-test/target/arm-vm-mvn.log)"
exit $status
