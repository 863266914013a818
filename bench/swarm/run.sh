#!/usr/bin/env bash
# mo against Docker Swarm on this machine, same image, same 1 s health check, 3 replicas:
#   start  - time from nothing to 3 ready replicas
#   roll   - time to roll the 3 replicas to a new image (one at a time, new one first)
#   kill   - time from `docker kill` of one replica to 3 ready again
# and, for mo, requests through its Ingress proxy during the roll and how many failed.
# Each round starts fresh (service / Deployment removed between rounds). A warm-up round of each
# comes first and is not counted. Prints every round, the medians and the ratio mo/Swarm.
# Needs Docker (not already in a swarm), curl, jq and the built jar (mvn -q -B -DskipTests package).
# Swarm keeps its defaults except the health check; SWARM_RESTART_DELAY=0s (for example) sets
# `--restart-delay` (Swarm's default: 5s before it replaces a task that died).
# Usage: bench/swarm/run.sh [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
api_port=17980
ingress_port=17981
node=mo-swarm-bench
ns=swarm-bench
name=web
svc=mo-swarm-bench-web
health='timeout 1 wget -qO- http://127.0.0.1:8080/healthz'

for tool in docker curl jq java; do
  command -v $tool >/dev/null || { echo "error: $tool is missing" >&2; exit 1; }
done
[ -f cli/target/mo.jar ] || { echo "error: build mo first: mvn -q -B -DskipTests package" >&2; exit 1; }
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != inactive ]; then
  echo "error: this Docker engine is already in a swarm; this script inits its own and leaves it" >&2
  exit 1
fi
for p in $api_port $ingress_port; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then echo "error: port $p is in use" >&2; exit 1; fi
done
examples/hello/build-image.sh >/dev/null

tmp="$(mktemp -d)"
server_pid=
swarm_joined=
# `docker swarm init` creates the bridge docker_gwbridge and `swarm leave` keeps it.
had_gwbridge=$(docker network inspect docker_gwbridge >/dev/null 2>&1 && echo yes || true)
cleanup() {
  set +e
  if [ -n "$swarm_joined" ]; then
    docker service rm $svc >/dev/null 2>&1
    docker swarm leave --force >/dev/null 2>&1
    [ -z "$had_gwbridge" ] && docker network rm docker_gwbridge >/dev/null 2>&1
  fi
  if [ -n "$server_pid" ]; then
    mo delete namespace $ns --wait=true >/dev/null 2>&1
    kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  fi
  # Whatever is left of this script's containers (only its own node's and service's labels).
  ids=$(docker ps -aq --filter label=mo.node=$node; docker ps -aq --filter label=com.docker.swarm.service.name=$svc)
  [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. bench/lib.sh

# ---------- mo ----------
export MO_SERVER=https://127.0.0.1:$api_port MO_STATE_DIR="$tmp/mo"
mkdir -p "$MO_STATE_DIR"
mo() { bin/mo "$@"; }
bin/mo server --state-dir "$MO_STATE_DIR" --port $api_port --bind 127.0.0.1 --node-name $node \
  --address 127.0.0.1 --ingress-port $ingress_port >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_until curl -fs --cacert "$tmp/mo/pki/ca.crt" -o /dev/null "https://127.0.0.1:$api_port/healthz"
wait_until test -s "$MO_STATE_DIR/token"
token=$(cat "$MO_STATE_DIR/token")
api() { curl -fsS --max-time 5 --cacert "$tmp/mo/pki/ca.crt" -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/api/$1"; }

write_web_manifests "$tmp" $ns $name 3
mo apply -f "$tmp/base.yaml" >/dev/null

# The Deployment is done when its latest generation is observed and 3 replicas, all of the
# current template, are available (what `rollout status` waits for) with no old pods left.
mo_done() {
  api "deployments/$name?namespace=$ns" 2>/dev/null | jq -e '
    (.status.observedGeneration // 0) >= .metadata.generation and
    (.status.updatedReplicas // 0) == 3 and (.status.availableReplicas // 0) == 3 and
    (.status.replicas // 0) == 3' >/dev/null
}
# Sum of the restart counts of ready pods, or nothing unless exactly 3 pods are ready.
mo_ready_restarts() {
  api "pods?namespace=$ns" 2>/dev/null | jq -r '
    [.items[] | select(.metadata.deletionTimestamp == null)
              | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))]
    | if length == 3 then (map(.status.containerStatuses[0].restartCount // 0) | add) else empty end'
}
mo_restarted() { [ "$(mo_ready_restarts)" = "$1" ]; }
mo_gone() { [ "$(api "pods?namespace=$ns" | jq '.items | length')" = 0 ] &&
            [ -z "$(docker ps -aq --filter label=mo.node=$node --filter label=mo.namespace=$ns)" ]; }

# Requests through the Ingress proxy until the stop file appears (at most 3000).
ingress_load() {
  local ok=0 fail=0 i code
  for i in $(seq 1 3000); do
    [ -e "$tmp/stop" ] && break
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$ingress_port/") || true
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else fail=$((fail + 1)); echo "$(round_name): HTTP ${code:-none} at $(now_ms)" >>"$tmp/failures"; fi
  done
  echo "$ok $fail" >"$tmp/load"
}

mo_start=(); mo_apply=(); mo_setimg=(); mo_roll=(); mo_kill=(); mo_req=(); mo_fail=()
mo_round() {
  t0=$(now_ms)
  mo apply -f "$tmp/deploy.yaml" >/dev/null
  mo_apply+=($(( $(now_ms) - t0 )))   # the client alone: a JVM start and one request
  wait_until mo_done
  t1=$(now_ms); mo_start+=($((t1 - t0)))
  wait_until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$ingress_port/"

  rm -f "$tmp/stop" "$tmp/load"
  ingress_load & load_pid=$!
  sleep 0.5
  t0=$(now_ms)
  mo set image deployment/$name web=mo-example/hello:v2 -n $ns >/dev/null
  mo_setimg+=($(( $(now_ms) - t0 )))
  wait_until mo_done
  t1=$(now_ms); mo_roll+=($((t1 - t0)))
  sleep 0.5
  touch "$tmp/stop"; wait $load_pid
  read -r ok fail <"$tmp/load"; mo_req+=($((ok + fail))); mo_fail+=($fail)

  before=$(mo_ready_restarts)
  victim=$(docker ps -q --filter label=mo.node=$node --filter label=mo.namespace=$ns | head -1)
  t0=$(now_ms)
  docker kill "$victim" >/dev/null
  wait_until mo_restarted $((before + 1))
  t1=$(now_ms); mo_kill+=($((t1 - t0)))

  echo "mo    $(round_name): start $(secs ${mo_start[-1]}) s (apply returned at $(secs ${mo_apply[-1]})), roll $(secs ${mo_roll[-1]}) s (set image returned at $(secs ${mo_setimg[-1]})), kill $(secs ${mo_kill[-1]}) s;" \
       "ingress during roll: $((ok + fail)) requests, $fail failed"
  mo delete deployment $name -n $ns >/dev/null
  wait_until mo_gone
}

# ---------- Docker Swarm ----------
t0=$(now_ms)
docker swarm init --advertise-addr 127.0.0.1 >/dev/null
swarm_joined=1
swarm_init_ms=$(( $(now_ms) - t0 ))

# Tasks the service wants running, as "ID IMAGE STATE" (state: Running, Starting, ...).
tasks() { docker service ps $svc --filter desired-state=running --format '{{.ID}} {{.Image}} {{.CurrentState}}' 2>/dev/null; }
# 3 tasks running (Swarm counts a task as running once its container is healthy) on image $1,
# none of them in $2 (task IDs from before a kill).
sw_done() {
  local t; t=$(tasks)
  [ "$(grep -c " mo-example/hello:$1 Running" <<<"$t")" = 3 ] && [ "$(wc -l <<<"$t")" = 3 ] || return 1
  local id; for id in ${2:-}; do grep -q "^$id " <<<"$t" && return 1; done
  return 0
}
sw_gone() { ! docker service inspect $svc >/dev/null 2>&1 &&
            [ -z "$(docker ps -aq --filter label=com.docker.swarm.service.name=$svc)" ]; }

sw_start=(); sw_create=(); sw_roll=(); sw_update=(); sw_kill=()
sw_round() {
  t0=$(now_ms)
  docker service create -d -q --no-resolve-image --name $svc --replicas 3 \
    --health-cmd "$health" --health-interval 1s --health-timeout 2s --health-retries 3 \
    ${SWARM_RESTART_DELAY:+--restart-delay "$SWARM_RESTART_DELAY"} \
    mo-example/hello:v1 >/dev/null
  sw_create+=($(( $(now_ms) - t0 )))
  wait_until sw_done v1
  t1=$(now_ms); sw_start+=($((t1 - t0)))

  t0=$(now_ms)
  docker service update -d -q --no-resolve-image --image mo-example/hello:v2 \
    --update-order start-first --update-parallelism 1 $svc >/dev/null
  sw_update+=($(( $(now_ms) - t0 )))
  wait_until sw_done v2
  t1=$(now_ms); sw_roll+=($((t1 - t0)))

  victim=$(docker ps -q --filter label=com.docker.swarm.service.name=$svc | head -1)
  task=$(docker inspect -f '{{index .Config.Labels "com.docker.swarm.task.id"}}' "$victim" | cut -c1-12)
  t0=$(now_ms)
  docker kill "$victim" >/dev/null
  wait_until sw_done v2 "$task"
  t1=$(now_ms); sw_kill+=($((t1 - t0)))

  echo "swarm $(round_name): start $(secs ${sw_start[-1]}) s (create returned at $(secs ${sw_create[-1]})), roll $(secs ${sw_roll[-1]}) s (update returned at $(secs ${sw_update[-1]})), kill $(secs ${sw_kill[-1]}) s"
  docker service rm $svc >/dev/null
  wait_until sw_gone
}


# One round of each first, printed and not counted: mo's server has just started and its JVM has
# not compiled its hot paths yet (its first start was 0.4-0.8 s slower than the next ones, while
# Swarm's daemon has long been running). Swarm gets its warm-up round too.
r=0
mo_round
sw_round
mo_start=(); mo_apply=(); mo_setimg=(); mo_roll=(); mo_kill=(); mo_req=(); mo_fail=()
sw_start=(); sw_create=(); sw_roll=(); sw_update=(); sw_kill=()

# Both run side by side on the same engine; the order alternates so that neither always
# goes first (this machine may be busy with other work: drift hits both alike).
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then mo_round; sw_round; else sw_round; mo_round; fi
done

echo
echo "swarm init (once, not counted): $(secs $swarm_init_ms) s; swarm restart delay: ${SWARM_RESTART_DELAY:-5s (default)}"
print_medians "$rounds" start roll kill
echo "client commands returned after (median): mo apply $(secs $(median "${mo_apply[@]}")) s, mo set image $(secs $(median "${mo_setimg[@]}")) s;" \
     "docker service create $(secs $(median "${sw_create[@]}")) s, docker service update $(secs $(median "${sw_update[@]}")) s"
echo "mo ingress during roll: median $(median "${mo_req[@]}") requests/round, failed per round: ${mo_fail[*]}"
[ -s "$tmp/failures" ] && sed 's/^/  failed: /' "$tmp/failures"
true
