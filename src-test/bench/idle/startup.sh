#!/usr/bin/env bash
# Start-up cost of the agent: exec of packaging/bin/agent to READY=1 over sd_notify (what
# Type=notify waits for, e.g. the provisioner's restart phase), as wall time and as the process's
# CPU time when READY=1 arrived (the figure to trust on a loaded machine), classes loaded (an extra
# start with -Xlog:class+load), RSS 3 s after READY=1 and threads.
# Config: a file job over 10 small files, a journal job with relabelling (what the provisioner
# renders), sampling on lo 1-in-400, a Loki stand-in answering 204 (python3).
#
#   src-test/bench/idle/startup.sh [--runs 5] [--other CHECKOUT] [--cds true]
#
# --other runs a second built checkout (e.g. an older commit) interleaved with this one, for a
# ratio in the same run. --cds true sets STATE_DIRECTORY as systemd does, so the launcher's AppCDS
# archive is written at the first clean stop and mapped from the second start on (run 1 is the
# first start). Prints the load average with every run. Needs: a built checkout
# (mvn -B -DskipTests package), socat, python3, libpcap0.8; as root for sampling on lo.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
runs=5 other="" cds=false
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --other) other=$(cd "$2" && pwd); shift 2 ;;
    --cds) cds=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--other CHECKOUT] [--cds true]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/tailflow-startup.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/log"
for i in $(seq 10); do for j in $(seq 20); do echo "line $j of file $i"; done > "$work/log/f$i.log"; done
cat > "$work/loki.py" <<'PY'
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
s = S(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
python3 "$work/loki.py" "$work/port" & pids+=($!)
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.05; done
cat > "$work/agent.yaml" <<YAML
server: {http_listen_address: 127.0.0.1, http_listen_port: 0}
positions: {filename: $work/positions.yaml}
clients:
  - url: http://127.0.0.1:$(cat "$work/port")/loki/api/v1/push
scrape_configs:
  - job_name: system
    static_configs:
      - targets: [localhost]
        labels: {job: varlogs, hostname: h1, __path__: $work/log/*log}
  - job_name: journal
    journal: {labels: {job: systemd-journal}}
    relabel_configs:
      - {source_labels: [__journal__systemd_unit], target_label: unit}
sflow:
  polling: 20
  collectors: [{ip: 127.0.0.1, udpport: 6343}]
  pcap: [{dev: lo, sampling: 400}]
YAML

# One start: prints "ready_ms cpu_ms rss_kB threads classes".
start() {
  local checkout=$1 state=$2 classlog=$3 sock="$work/notify.sock" msgs="$work/msgs" opts=""
  rm -f "$work/positions.yaml" "$msgs" "$sock"
  socat -u "UNIX-RECV:$sock" "OPEN:$msgs,creat,append" & local socat_pid=$!
  pids+=("$socat_pid")
  for _ in $(seq 500); do [ -S "$sock" ] && break; sleep 0.01; done
  [ -z "$classlog" ] || opts="-Xlog:class+load=info:file=$classlog"
  local envs=(NOTIFY_SOCKET="$sock" TAILFLOW_JAVA_OPTS="$opts")
  [ -z "$state" ] || envs+=(STATE_DIRECTORY="$state")
  local t0 t1 pid
  t0=$(date +%s%N)
  env "${envs[@]}" "$checkout/packaging/bin/agent" --config "$work/agent.yaml" >"$work/out" 2>&1 & pid=$!
  pids+=("$pid")
  for _ in $(seq 12000); do
    grep -q READY=1 "$msgs" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "agent exited before READY=1:" >&2; cat "$work/out" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  local ticks threads rss classes=-
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  threads=$(ls "/proc/$pid/task" | wc -l)
  sleep 3
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  kill "$socat_pid" 2>/dev/null || true; wait "$socat_pid" 2>/dev/null || true
  [ -z "$classlog" ] || classes=$(wc -l < "$classlog")
  echo "$(( (t1 - t0) / 1000000 )) $(( ticks * 1000 / $(getconf CLK_TCK) )) $rss $threads $classes"
}

checkouts=("$root")
[ -z "$other" ] || checkouts+=("$other")
printf '%-40s %4s %9s %8s %8s %8s %8s  %s\n' checkout run ready_ms cpu_ms rss_kB threads classes "load (1 5 15)"
for c in "${checkouts[@]}"; do mkdir -p "$work/state-$(echo "$c" | cksum | cut -d' ' -f1)"; done
if [ "$cds" != true ]; then
  for c in "${checkouts[@]}"; do   # a first start per checkout that only counts the classes loaded
    printf '%-40s %4s %9s %8s %8s %8s %8s  %s\n' "$c" classes $(start "$c" "" "$work/classes.log") "$(cut -d' ' -f1-3 /proc/loadavg)"
    rm -f "$work/classes.log"
  done
fi
for r in $(seq "$runs"); do
  for c in "${checkouts[@]}"; do   # interleaved: load drifts hit both alike
    state=""
    [ "$cds" != true ] || state="$work/state-$(echo "$c" | cksum | cut -d' ' -f1)"
    printf '%-40s %4s %9s %8s %8s %8s %8s  %s\n' "$c" "$r" $(start "$c" "$state" "") "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
echo "(cpu_ms: user+sys of the agent when READY=1 arrived; classes: a start with -Xlog:class+load before the"
echo " measured runs; cds=$cds: with true, run 1 is a first start and later runs map the archive run 1 wrote at its stop)"
