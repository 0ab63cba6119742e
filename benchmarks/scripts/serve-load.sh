#!/usr/bin/env bash
# Bounded load test of bin/sparsestruct serve on loopback (BENCHMARKS.md, "HTTP service"): 2,000 POST /v1/annotate
# requests of 1-4 EWT dev sentences from 16 concurrent clients; every reply must be 200 and byte-identical to the
# sequential one. Then the server is killed (SIGKILL) in the middle of a second load, restarted, and the same
# requests must get the same replies again. Prints the client's figures and the server's peak resident memory.
# Usage: benchmarks/scripts/serve-load.sh (build first: mvn -q -DskipTests package). PORT, REQUESTS, CONCURRENCY,
# THREADS, EWT_DEV override the defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${EWT_DEV:-$here/../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu}"
port="${PORT:-18181}"
url="http://127.0.0.1:$port"
work="${TMPDIR:-/tmp}/sparsestruct-serve-load"
rm -rf "$work" && mkdir -p "$work"
server_pid=""

start_server() {
  "$here/bin/sparsestruct" serve --port "$port" --threads "${THREADS:-2}" --queue 64 > "$work/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf "$url/health" > /dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "the server did not come up; see $work/server-$1.log" >&2
  exit 1
}

peak_rss() {  # the peak resident set of the server's JVM (the launcher execs java, so it is the same pid)
  awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server_pid/status"
}

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2> /dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  server_pid=""
}
trap stop_server EXIT

load() {
  "$here/bin/sparsestruct-bench" ServeLoad --url "$url" --data "$data" --requests "${REQUESTS:-2000}" \
    --concurrency "${CONCURRENCY:-16}" "$@"
}

echo "== machine: $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(nproc) cores"
echo "== 1. load: ${REQUESTS:-2000} requests, ${CONCURRENCY:-16} clients"
start_server 1
load --write-reference "$work/reference.txt"
echo "server peak RSS: $(peak_rss)"
curl -s "$url/metrics" > "$work/metrics.json"
echo "server /metrics annotate: $(python3 -c "import json,sys; m=json.load(open('$work/metrics.json'))['endpoints']['annotate']; print(m['requests'], 'requests', m['status'], 'p50 <=', m['latencyMs']['p50'], 'ms, p99 <=', m['latencyMs']['p99'], 'ms')")"

echo "== 2. SIGKILL the server in the middle of a load, restart it, replay"
load --reference "$work/reference.txt" --tolerate-errors true > "$work/killed-load.txt" 2>&1 &
client=$!
sleep "${KILL_AFTER:-8}"
kill -KILL "$server_pid"
wait "$server_pid" 2> /dev/null || true
server_pid=""
wait "$client" || true
echo "load while killed: $(grep '^concurrent' "$work/killed-load.txt")"
start_server 2
load --reference "$work/reference.txt" --requests 500
echo "server peak RSS after restart: $(peak_rss)"
