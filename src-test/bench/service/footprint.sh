#!/usr/bin/env bash
# Start-up time (exec -> READY=1 over sd_notify) and memory (VmRSS, VmHWM after an idle period) of
# the agent under different JVM flag sets, each as a ratio against the JVM's defaults measured in
# the same run. Runs on demand; not part of `mvn verify`.
#
#   src-test/bench/service/footprint.sh --config FILE [--positions FILE] [--runs N] [--idle SECONDS]
#
# --positions names the config's positions file: it is deleted before each run, so every run
# ships the same lines. --build DIR runs agent.jar and lib/ from DIR (default agent/target; a copy
# lets you rebuild meanwhile). TAILFLOW_FOOTPRINT_VARIANTS="launcher launcher+c1" limits the variants.
#
# Needs: a built checkout (mvn -DskipTests package), socat, java 17. Runs the agent as the
# calling user on this machine, so the config's Loki/collector addresses must be reachable
# or absent; every process it starts is stopped (SIGTERM, then SIGKILL) on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
config="" positions="" runs=5 idle=20 build="$root/agent/target"
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;;
    --positions) positions=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    *) echo "usage: $0 --config FILE [--positions FILE] [--runs N] [--idle SECONDS]" >&2; exit 2 ;;
  esac
done
[ -n "$config" ] || { echo "--config is required" >&2; exit 2; }
[ -f "$build/agent.jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
classpath="$build/agent.jar:$build/lib/*"
work=$(mktemp -d /tmp/tailflow-footprint.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The launcher's flags, read from the script itself so the bench measures what ships.
launcher_flags="$(sed -n 's/^jvm_flags="\(.*\)"$/\1/p' "$root/packaging/bin/agent") -Xmx64m"
[ "$launcher_flags" != " -Xmx64m" ] || { echo "cannot read jvm_flags from packaging/bin/agent" >&2; exit 2; }
jsa="$work/agent.jsa"
# Not a tuning flag: without it pcap4j finds no libpcap on Debian and nothing is sampled.
for f in /usr/lib/*-linux-gnu*/libpcap.so.0.8; do
  [ -e "$f" ] && common="-Dorg.pcap4j.core.pcapLibName=libpcap.so.0.8"
done

with_c2=$(echo "$launcher_flags" | sed 's/ -XX:TieredStopAtLevel=1//; s/ -XX:CICompilerCount=1//')
declare -A flags=(
  [defaults]=""
  [launcher]="$launcher_flags"
  [launcher+c2]="$with_c2"
  [launcher+appcds]="$launcher_flags -XX:SharedArchiveFile=$jsa"
  [launcher-noshare]="$launcher_flags -Xshare:off"
  [launcher+appcds+small]="MALLOC_ARENA_MAX=2 $launcher_flags -Xms8m -XX:SharedArchiveFile=$jsa"
)
order=(defaults launcher launcher+c2 launcher+appcds launcher-noshare launcher+appcds+small)
[ -z "${TAILFLOW_FOOTPRINT_VARIANTS:-}" ] || read -r -a order <<< "defaults $TAILFLOW_FOOTPRINT_VARIANTS"

# One run: prints "<ms to READY> <VmRSS kB> <VmHWM kB> <exit code> <CPU ms to READY>". The CPU
# time (user+sys of the JVM when READY=1 arrived) is the start-up figure to trust on a busy
# machine; the wall time also counts waiting for a core.
measure() {
  local opts=$1 sock="$work/notify.sock" msgs="$work/msgs"
  rm -f "$sock" "$msgs"
  [ -z "$positions" ] || rm -f "$positions"
  socat -u "UNIX-RECV:$sock" "OPEN:$msgs,creat,append" & local socat_pid=$!
  pids+=("$socat_pid")
  for _ in $(seq 500); do [ -S "$sock" ] && break; sleep 0.01; done
  local t0 t1 pid
  t0=$(date +%s%N)
  # Words of the form NAME=value (not starting with -) are environment variables, the rest JVM flags.
  local envs=() jvm=() w
  for w in $opts; do
    case "$w" in -*) jvm+=("$w") ;; *=*) envs+=("$w") ;; *) jvm+=("$w") ;; esac
  done
  env NOTIFY_SOCKET="$sock" "${envs[@]}" java "${jvm[@]}" ${common:-} -cp "$classpath" tailflow.agent.AgentMain \
    --config "$config" >"$work/out" 2>"$work/err" & pid=$!
  pids+=("$pid")
  for _ in $(seq 6000); do
    grep -q READY=1 "$msgs" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "agent exited before READY=1:" >&2; cat "$work/err" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  local ticks cpu_ms
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  cpu_ms=$(( ticks * 1000 / $(getconf CLK_TCK) ))
  grep -q READY=1 "$msgs" || { echo "no READY=1 within 30 s" >&2; exit 1; }
  sleep "$idle"
  local rss hwm rc=0
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  for _ in $(seq 3000); do kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
  wait "$pid" || rc=$?
  kill "$socat_pid" 2>/dev/null || true; wait "$socat_pid" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $rss $hwm $rc $cpu_ms"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The AppCDS archive: one real run (start, READY=1, SIGTERM) with the launcher's flags dumps the
# classes it loaded at exit (JDK 17: -XX:ArchiveClassesAtExit).
idle_saved=$idle; idle=1
measure "$launcher_flags -XX:ArchiveClassesAtExit=$jsa" >/dev/null
idle=$idle_saved
[ -f "$jsa" ] || echo "note: no AppCDS archive was written; the launcher+appcds row runs without it" >&2

declare -A ready cpu rss hwm
for v in "${order[@]}"; do : > "$work/$v.txt"; done
for i in $(seq "$runs"); do
  for v in "${order[@]}"; do   # interleaved, so machine load drifts hit every variant alike
    measure "${flags[$v]}" >> "$work/$v.txt"
  done
done
printf '%-24s %9s %12s %10s %10s %8s %8s %8s\n' variant ready_ms ready_cpu_ms VmRSS_kB VmHWM_kB cpu/x rss/x hwm/x
for v in "${order[@]}"; do
  ready[$v]=$(awk '{print $1}' "$work/$v.txt" | median)
  cpu[$v]=$(awk '{print $5}' "$work/$v.txt" | median)
  rss[$v]=$(awk '{print $2}' "$work/$v.txt" | median)
  hwm[$v]=$(awk '{print $3}' "$work/$v.txt" | median)
  bad=$(awk '$4 != 0' "$work/$v.txt" | wc -l)
  [ "$bad" -eq 0 ] || echo "warning: $v exited non-zero in $bad runs" >&2
done
for v in "${order[@]}"; do
  printf '%-24s %9s %12s %10s %10s %8.2f %8.2f %8.2f\n' "$v" "${ready[$v]}" "${cpu[$v]}" "${rss[$v]}" "${hwm[$v]}" \
    "$(ratio "${cpu[$v]}" "${cpu[defaults]}")" "$(ratio "${rss[$v]}" "${rss[defaults]}")" \
    "$(ratio "${hwm[$v]}" "${hwm[defaults]}")"
done
echo "(medians of $runs runs each, idle ${idle}s, x = JVM defaults; load average $(cut -d' ' -f1-3 /proc/loadavg);"
echo " launcher flags: $launcher_flags)"
