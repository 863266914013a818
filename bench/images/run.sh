#!/usr/bin/env bash
# How long an image built on one host takes to reach another host through mo, against the
# limit: `docker save IMAGE | docker -H OTHER load` piped by hand between the two engines.
#
# Two hosts: this machine (mo server and its agent on 10.213.0.1) and test host h2
# (scripts/test-hosts.sh: its own network namespace and dockerd, and a mo agent). The image is
# FROM scratch: the static busybox and SIZE_MB of random bytes (incompressible, one layer).
# Each round removes the image from h2's engine, then:
#   by hand - time of `docker save | docker -H h2 load`
#   mo      - a pod pinned to h2 (spec.nodeName) needs the image: time from `mo apply` until
#             h2's engine has it (the agent fetched it from this host's agent over mutual TLS,
#             checked it and loaded it), and the fetch time the agent logged
# Prints every round, the medians, the ratio mo/by-hand and the CPU seconds each used
# (this machine's mo processes and dockerds, from /proc).
# Root only (it makes a test host). Usage: bench/images/run.sh [rounds=5] [size_mb=100]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
size_mb="${2:-100}"
image=mo-bench/blob:${size_mb}m
ns=image-bench
api_port=17990

[ -f cli/target/mo.jar ] || { echo "error: build mo first: mvn -q -B -DskipTests package" >&2; exit 1; }
scripts/ensure-docker.sh

tmp="$(mktemp -d)"
server_pid=
agent_pid=
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  docker ps -aq --filter label=mo.node=img-h1 | xargs -r docker rm -f >/dev/null
  scripts/test-hosts.sh down >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The image: busybox and incompressible bytes.
mkdir -p "$tmp/image"
cp /bin/busybox "$tmp/image/busybox"
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$tmp/image/blob"
cat >"$tmp/image/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
COPY blob /blob
CMD ["/bin/busybox", "sleep", "3600"]
DOCKERFILE
docker build -q -t "$image" "$tmp/image" >/dev/null
echo "image $image: $(docker image inspect -f '{{.Size}}' "$image") bytes"

scripts/test-hosts.sh up 1 >/dev/null
h2_docker=unix:///run/mo-hosts/h2/docker.sock
export MO_SERVER=https://10.213.0.1:$api_port MO_STATE_DIR="$tmp/state"
bin/mo server --state-dir "$tmp/state" --bind 10.213.0.1 --address 10.213.0.1 --port $api_port \
  --node-name img-h1 --ingress-port 0 >"$tmp/server.log" 2>&1 &
server_pid=$!
until [ -f "$tmp/state/pki/ca.crt" ] && curl -fsS --cacert "$tmp/state/pki/ca.crt" "$MO_SERVER/healthz" >/dev/null 2>&1; do sleep 0.1; done
scripts/test-hosts.sh exec h2 bin/mo agent --server "$MO_SERVER" --join-token-file "$tmp/state/join-token" \
  --node-name img-h2 --address 10.213.0.2 --docker-host "$h2_docker" --ingress-port 0 \
  --data-dir "$tmp/agent-h2" >"$tmp/agent.log" 2>&1 &
agent_pid=$!
until bin/mo get nodes 2>/dev/null | grep -q '^img-h2 *Ready'; do sleep 0.2; done
bin/mo apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $ns}
YAML

cpu_ticks() { # utime+stime of this machine's mo and dockerd processes (clock ticks)
  local total=0 pid
  for pid in $(pgrep -f 'mo.jar (server|agent)') $(pgrep -x dockerd) $(pgrep -x containerd); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

hand=(); via_mo=(); fetch=(); hand_cpu=(); mo_cpu=()
for round in $(seq 1 "$rounds"); do
  docker -H "$h2_docker" rmi -f "$image" >/dev/null 2>&1 || true
  c0=$(cpu_ticks); t0=$(now_ms)
  docker save "$image" | docker -H "$h2_docker" load -q >/dev/null
  t1=$(now_ms); c1=$(cpu_ticks)
  hand+=($((t1 - t0))); hand_cpu+=($(( (c1 - c0) * 1000 / hz )))
  docker -H "$h2_docker" rmi -f "$image" >/dev/null

  c0=$(cpu_ticks); t0=$(now_ms)
  bin/mo apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: blob-$round, namespace: $ns}
spec:
  nodeName: img-h2
  terminationGracePeriodSeconds: 0
  containers: [{name: blob, image: "$image", imagePullPolicy: IfNotPresent}]
YAML
  until docker -H "$h2_docker" image inspect "$image" >/dev/null 2>&1; do sleep 0.05; done
  t1=$(now_ms); c1=$(cpu_ticks)
  via_mo+=($((t1 - t0))); mo_cpu+=($(( (c1 - c0) * 1000 / hz )))
  f=$(grep -o "image $image fetched from node img-h1: [0-9]* bytes in [0-9]* ms" "$tmp/agent.log" | tail -1 | awk '{print $(NF-1)}')
  fetch+=("${f:-?}")
  bin/mo delete pod "blob-$round" -n "$ns" --wait=false >/dev/null
  printf 'round %d: by hand %6d ms (cpu %5d ms) | mo %6d ms (cpu %5d ms; fetch as logged %s ms)\n' \
    "$round" "${hand[-1]}" "${hand_cpu[-1]}" "${via_mo[-1]}" "${mo_cpu[-1]}" "${fetch[-1]}"
done
mh=$(printf '%s\n' "${hand[@]}" | median); mm=$(printf '%s\n' "${via_mo[@]}" | median)
ch=$(printf '%s\n' "${hand_cpu[@]}" | median); cm=$(printf '%s\n' "${mo_cpu[@]}" | median)
echo "median: by hand $mh ms (cpu $ch ms), mo $mm ms (cpu $cm ms); mo / by hand = $(awk -v a="$mm" -v b="$mh" 'BEGIN {printf "%.2f", a / b}')"
