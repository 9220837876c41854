#!/usr/bin/env bash
# Benchmark: tailflow's provisioner against Ansible (the lab's roles, ../shared/peers/ansible/site.yml)
# on N fresh nspawn test hosts each (default 10), same forks. Times a first apply and a no-op
# re-apply for both and prints the ratios. On demand, as root:
#   src-test/bench/provisioner/run.sh [N]
# Needs a built checkout (mvn -B -DskipTests package; src-test test-compile for the host harness)
# and installs ansible-core from Debian if ansible-playbook is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
n=${1:-10}
forks=${FORKS:-10}
# The Ansible peer sits in shared/ beside the checkout (../shared; a worktree one level deeper
# finds it at ../../shared); ANSIBLE_SITE overrides.
playbook=${ANSIBLE_SITE:-}
if [ -z "$playbook" ]; then
  for candidate in "$root/../shared/peers/ansible/site.yml" "$root/../../shared/peers/ansible/site.yml"; do
    if [ -f "$candidate" ]; then playbook=$(readlink -f "$candidate"); break; fi
  done
fi
[ -n "$playbook" ] && [ -f "$playbook" ] || { echo "no Ansible peer: expected ../shared/peers/ansible/site.yml beside $root (or set ANSIBLE_SITE)" >&2; exit 2; }
# nspawn host numbers: 2 x N from BASE (default 25: a shared machine allocates numbers per user)
base=${HOST_BASE:-25}
[ "$n" -ge 1 ] && [ "$n" -le 24 ] || { echo "N must be 1..24" >&2; exit 2; }
command -v ansible-playbook >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ansible-core
[ -f "$root/provisioner/target/provisioner.jar" ] && [ -d "$root/src-test/target/test-classes/tailflow/systemtest/hosts" ] || {
  echo "build first: (cd $root && mvn -B -q -DskipTests package && mvn -B -q -pl src-test -am test-compile -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false)" >&2; exit 2; }

work=$(mktemp -d /var/tmp/tailflow-bench-prov.XXXXXX)
cleanup() {
  # closing the harness's stdin tears its hosts down (poweroff, umount, cgroups, netns)
  for f in "$work"/*/sleep.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  for d in "$work"/a "$work"/p; do
    [ -f "$d/boot.pid" ] && while kill -0 "$(cat "$d/boot.pid")" 2>/dev/null; do sleep 0.5; done
  done
  rm -rf "$work"
}
trap cleanup EXIT

boot() { # boot DIR N...
  local dir=$1; shift; mkdir -p "$dir"
  ( exec 3< <(sleep 100000 & echo $! > "$dir/sleep.pid"; wait)
    java -Dtailflow.root="$root" -cp "$root/src-test/target/test-classes" tailflow.systemtest.hosts.BootHosts "$dir" "$@" <&3 \
      > "$dir/boot.log" 2>&1 & echo $! > "$dir/boot.pid"; wait ) &
  for _ in $(seq 1 300); do grep -q ready "$dir/boot.log" 2>/dev/null && return 0; sleep 0.5; done
  cat "$dir/boot.log" >&2; return 1
}
echo "booting 2 x $n hosts..."
a_idx=$(seq "$base" $((base + n - 1))); p_idx=$(seq $((base + n)) $((base + 2 * n - 1)))
boot "$work/a" $a_idx
boot "$work/p" $p_idx
key=/var/cache/tailflow-test/id_ed25519
loki=http://127.0.0.1:3100/loki/api/v1/push   # the same config for both; /ready does not need Loki

# The provisioner's inventory and home (its known_hosts is the harness's)
{ echo "[agents]"; while read -r name addr gw; do echo "$name ansible_host=$addr"; done < "$work/p/hosts"
  printf '[agents:vars]\nansible_user=root\nansible_ssh_private_key_file=%s\ntailflow_loki_url=%s\n' "$key" "$loki"; } > "$work/p/inv.ini"
mkdir -p "$work/p/home"
prov() { TAILFLOW_JAVA_OPTS="-Duser.home=$work/p/home" "$root/packaging/bin/provisioner" apply -q --timings -i "$work/p/inv.ini" \
  --known-hosts "$work/p/known_hosts" --forks "$forks" --source "$root" > "$work/p/run.log" 2>&1 \
  || { tail -n 20 "$work/p/run.log" >&2; return 1; }; }

# Ansible's inputs: the same release laid out so that unarchive into /opt/tailflow gives
# /opt/tailflow/current/bin/agent (the unit's ExecStart), the same unit, the config with the
# role's "hostname: hostname" placeholder.
bundle=$(ls -t "$work/p/home/.cache/tailflow/bundles/"*.tar.gz 2>/dev/null | head -n1 || true)
if [ -z "$bundle" ]; then  # build it once through the provisioner's own code path (check mode changes nothing)
  TAILFLOW_JAVA_OPTS="-Duser.home=$work/p/home" "$root/packaging/bin/provisioner" apply -q -C -i "$work/p/inv.ini" \
    --known-hosts "$work/p/known_hosts" --source "$root" --limit "$(head -n1 "$work/p/hosts" | cut -d' ' -f1)" >/dev/null
  bundle=$(ls -t "$work/p/home/.cache/tailflow/bundles/"*.tar.gz | head -n1)
fi
mkdir -p "$work/a/rel/current"; tar -xzf "$bundle" -C "$work/a/rel/current"; tar -czf "$work/a/agent.tar.gz" -C "$work/a/rel" current
sed "s#http://localhost:3100/loki/api/v1/push#$loki#; s#hostname: \${HOSTNAME}#hostname: hostname#" "$root/configs/agent.yaml" \
  | sed '/^sflow:/,$d' > "$work/a/agent.yaml"
{ echo "[agents]"; while read -r name addr gw; do echo "$name ansible_host=$addr"; done < "$work/a/hosts"
  printf '[agents:vars]\nansible_user=root\nansible_ssh_private_key_file=%s\n' "$key"
  printf "ansible_ssh_common_args='-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes'\n" "$work/a/known_hosts"
  printf 'ansible_python_interpreter=/usr/bin/python3\n'; } > "$work/a/inv.ini"
# The roles never created a user (Promtail ran as root); the hardened unit runs as tailflow, so
# the Ansible hosts get the user before timing starts (not counted).
while read -r name addr gw; do
  ssh -n -i "$key" -o UserKnownHostsFile="$work/a/known_hosts" -o BatchMode=yes root@"$addr" \
    'useradd --system --user-group --no-create-home --shell /usr/sbin/nologin tailflow && usermod -a -G adm tailflow'
done < "$work/a/hosts"
ansible() { ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ansible-playbook -i "$work/a/inv.ini" "$playbook" -f "$forks" \
  -e bundle="$work/a/agent.tar.gz" -e unit="$root/packaging/tailflow-agent.service" -e config="$work/a/agent.yaml" > "$work/a/run.log" 2>&1 \
  || { tail -n 30 "$work/a/run.log" >&2; return 1; }; }

t() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); echo "$e - $s" | bc; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "timing (N=$n hosts each, forks=$forks)..."
failed() { grep -cE ' failed=[1-9]' "$1" || true; }
l_a_first=$(load); a_first=$(t ansible); a_first_failed=$(failed "$work/a/run.log")
l_p_first=$(load); p_first=$(t prov); cp "$work/p/run.log" "$work/p/first.log"
l_a_noop=$(load); a_noop=$(t ansible); a_noop_failed=$(failed "$work/a/run.log")
l_p_noop=$(load); p_noop=$(t prov)
echo "provisioner first apply, per host and phase:"; sed -n '/^TIMINGS/,$p' "$work/p/first.log" | tail -n +2
echo "hosts with a failed task: ansible first $a_first_failed, ansible re-apply $a_noop_failed; provisioner: $(grep -c 'failed=[1-9]\|unreachable=[1-9]' "$work/p/run.log" || true)"
# both fleets run the agent now
while read -r name addr gw; do
  ssh -n -i "$key" -o UserKnownHostsFile="$work/a/known_hosts" -o BatchMode=yes root@"$addr" systemctl is-active --quiet tailflow-agent \
    || echo "warning: $name (ansible) agent not active" >&2
done < "$work/a/hosts"
printf '%-22s %10s %10s %8s   %s\n' "" ansible provisioner ratio "load at start (ansible; provisioner)"
printf '%-22s %9.2fs %9.2fs %7.1fx   %s; %s\n' "first apply" "$a_first" "$p_first" "$(echo "$a_first / $p_first" | bc -l)" "$l_a_first" "$l_p_first"
printf '%-22s %9.2fs %9.2fs %7.1fx   %s; %s\n' "no-op re-apply" "$a_noop" "$p_noop" "$(echo "$a_noop / $p_noop" | bc -l)" "$l_a_noop" "$l_p_noop"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
