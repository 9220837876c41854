#!/usr/bin/env bash
# Installs what the system tests need on a Debian 12 machine: the build (JDK 17, Maven) and the
# real peers the tests run against. Idempotent (installs only what is missing; a second run
# changes nothing and needs no network) and non-interactive. Run as root, then `mvn -B verify`:
#     src-test/setup-test-machine.sh && mvn -B verify
# The cached fixtures (nspawn rootfs, ARM sysroots) are built by the tests themselves on first use.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "$0: run as root (apt-get installs packages; the system tests need root too)" >&2
  exit 1
fi

packages=(
  openjdk-17-jdk-headless maven        # the build
  iproute2 libpcap0.8 tcpdump          # network namespaces and live capture
  tshark pmacct                        # real sFlow decoders
  debootstrap systemd-container openssh-server openssh-client  # systemd + sshd test hosts
  qemu-user-static binfmt-support      # armhf / aarch64 user-mode runs
  logrotate socat
  libsnappy1v5                         # libsnappy for the agent's push compression (NativeSnappyTest)
  lintian                              # the Debian package's checks
  ansible-core                         # the provisioner-vs-Ansible benchmark and its inventory tests
  systemd-journal-remote               # journal source tests
  krb5-kdc krb5-admin-server krb5-user # Kerberos tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup-test-machine: all ${#packages[@]} packages installed"
