#!/usr/bin/env bash
# mo server with its embedded agent: time from process start until the API answers, and
# resident memory when idle with a few pods running. Runs RUNS times (default 5) and prints
# each run and the median. Needs Docker and the built jar (mvn -q -DskipTests package).
# Usage: bench/footprint.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
port=17970
examples/hello/build-image.sh >/dev/null
now_ms() { date +%s%3N; }
starts=(); rss=()
for i in $(seq 1 "$runs"); do
  state="$(mktemp -d)"
  t0=$(now_ms)
  bin/mo server --state-dir "$state" --port $port --node-name bench-node --address 127.0.0.1 >"$state/log" 2>&1 &
  pid=$!
  until [ -f "$state/pki/ca.crt" ] && curl -fsS --cacert "$state/pki/ca.crt" "https://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.01; done
  t1=$(now_ms)
  starts+=($((t1 - t0)))
  cat <<YAML | MO_SERVER=https://127.0.0.1:$port MO_STATE_DIR="$state" bin/mo apply -f - >/dev/null
apiVersion: apps/v1
kind: Deployment
metadata: {name: idle, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: idle}}
  template:
    metadata: {labels: {app: idle}}
    spec:
      containers: [{name: web, image: "mo-example/hello:v1"}]
YAML
  for _ in $(seq 1 100); do
    n=$(docker ps -q --filter label=mo.node=bench-node | wc -l)
    [ "$n" -ge 3 ] && break; sleep 0.2
  done
  sleep 10   # idle: heartbeats and resyncs only
  jpid=$(pgrep -P $pid java || echo $pid)
  kb=$(awk '/VmRSS/ {print $2}' /proc/$jpid/status)
  rss+=($((kb / 1024)))
  echo "run $i: API answered after ${starts[-1]} ms; idle RSS with 3 pods ${rss[-1]} MiB"
  MO_SERVER=https://127.0.0.1:$port MO_STATE_DIR="$state" bin/mo delete deployment idle >/dev/null
  # The agent stops and removes the containers after the delete returns: let it finish (at
  # most 30 s) before the server goes, or they stay behind.
  for _ in $(seq 1 150); do
    [ -z "$(docker ps -aq --filter label=mo.node=bench-node)" ] && break; sleep 0.2
  done
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$state"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: API up in $(median "${starts[@]}") ms, idle RSS $(median "${rss[@]}") MiB"
