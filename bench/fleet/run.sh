#!/usr/bin/env bash
# mo against Docker Swarm on a fleet of three Docker hosts on this machine: this machine's
# engine and two test hosts (scripts/test-hosts.sh: network namespaces on the bridge br-mo,
# each with its own dockerd). Same image, same 1 s health check, 6 replicas:
#   start  - time from nothing to 6 ready replicas (and how they spread over the hosts)
#   roll   - time to roll the 6 replicas to a new image (one at a time, new one first)
#   death  - time from the third host's death (its link cut: no heartbeat, no traffic) to
#            6 ready replicas on the two hosts left
# and, for mo, requests through the first host's Ingress during the roll and the death, and
# how many failed. The floor for start: bare `docker run -d` of the same 6 containers (2 per
# engine, all at once, ports published on each host's address) until each answers HTTP 200. After each death the host's link comes back and its engine is cleaned up by
# the orchestrator before the next round. A warm-up round of each comes first, not counted.
#
# Swarm: a manager on this machine (10.213.0.1) and the test hosts joined as workers over the
# bridge; its defaults except the health check (its routing mesh needs IPVS, which this kernel
# lacks, so the service publishes no port). A worker is marked down when its heartbeats (every
# 5 s) stop for a grace period, then its tasks are started elsewhere.
# mo: `mo server` on this machine, `mo agent` on each test host (joined with the join token),
# agents heartbeat every 5 s. By default (Kubernetes' defaults) a silent node turns NotReady
# after 40 s and its pods are replaced 5 min later; this bench runs the server with
# MO_GRACE (default 15s: three missed heartbeats, as Swarm waits) and MO_EVICTION (default 0s).
#
# The images are loaded into every engine first (docker save | docker load), for both, so the
# figures are orchestration only; bench/images/run.sh measures the image transfer.
# Needs root, Docker (not already in a swarm), curl, jq and the built jar (mvn -q -B -DskipTests package).
# Usage: bench/fleet/run.sh [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
grace="${MO_GRACE:-15s}"
eviction="${MO_EVICTION:-0s}"
first=10.213.0.1
api_port=17990
ingress_port=17991
agent_port=17992
ns=fleet-bench
name=web
svc=mo-fleet-bench-web
replicas=6
health='timeout 1 wget -qO- http://127.0.0.1:8080/healthz'
hosts_script=scripts/test-hosts.sh

for tool in docker curl jq java ip; do
  command -v $tool >/dev/null || { echo "error: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "error: must run as root (test hosts are network namespaces)" >&2; exit 1; }
[ -f cli/target/mo.jar ] || { echo "error: build mo first: mvn -q -B -DskipTests package" >&2; exit 1; }
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != inactive ]; then
  echo "error: this Docker engine is already in a swarm; this script inits its own and leaves it" >&2
  exit 1
fi
examples/hello/build-image.sh >/dev/null

tmp="$(mktemp -d)"
server_pid=
agent_pids=()
swarm_joined=
had_gwbridge=$(docker network inspect docker_gwbridge >/dev/null 2>&1 && echo yes || true)
cleanup() {
  set +e
  ip link set veth-mo-h3 up 2>/dev/null
  if [ -n "$swarm_joined" ]; then
    docker service rm $svc >/dev/null 2>&1
    for h in h2 h3; do hdocker $h swarm leave --force >/dev/null 2>&1; done
    docker swarm leave --force >/dev/null 2>&1
    [ -z "$had_gwbridge" ] && docker network rm docker_gwbridge >/dev/null 2>&1
  fi
  for pid in "${agent_pids[@]}"; do kill "$pid" 2>/dev/null; done
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  fi
  # This machine's containers of this script (the test hosts' go with their engines).
  ids=$(docker ps -aq --filter label=mo.node=fleet-h1; docker ps -aq --filter label=com.docker.swarm.service.name=$svc
        docker ps -aq --filter label=mo-fleet-bench-bare)
  [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
  bash $hosts_script down >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. bench/lib.sh
WAIT_LIMIT=180 WAIT_POLL=0.1
# docker on test host $1 (h2, h3); h1 is this machine's engine.
hdocker() { local h=$1; shift; if [ "$h" = h1 ]; then docker "$@"; else docker -H "unix:///run/mo-hosts/$h/docker.sock" "$@"; fi; }
host_down() { ip link set veth-mo-h3 down; }
host_up() { ip link set veth-mo-h3 up; }

# ---------- the fleet ----------
bash $hosts_script up 2 >/dev/null
for h in h2 h3; do
  docker save mo-example/hello:v1 mo-example/hello:v2 | hdocker $h load >/dev/null
done

# Requests through the first host's Ingress until the stop file appears (at most 6000). A request
# fails when it gets no 200 within 10 s; one that takes over 1 s is counted as slow.
ingress_load() {
  local ok=0 fail=0 slow=0 i out code took
  for i in $(seq 1 6000); do
    [ -e "$tmp/stop" ] && break
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "http://$first:$ingress_port/") || true
    read -r code took <<<"$out"
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else fail=$((fail + 1)); echo "$(round_name) $1: HTTP ${code:-none} at $(now_ms)" >>"$tmp/failures"; fi
    if awk -v t="${took:-0}" 'BEGIN { exit !(t > 1) }'; then slow=$((slow + 1)); echo "$(round_name) $1: ${took} s at $(now_ms)" >>"$tmp/slow"; fi
  done
  echo "$ok $fail $slow" >"$tmp/load"
}
load_start() { rm -f "$tmp/stop" "$tmp/load"; ingress_load "$1" & load_pid=$!; sleep 0.5; }
load_stop() { sleep 0.5; touch "$tmp/stop"; wait $load_pid; read -r ok fail slow <"$tmp/load"; }

# ---------- mo ----------
export MO_SERVER=https://$first:$api_port MO_STATE_DIR="$tmp/mo"
mkdir -p "$MO_STATE_DIR"
mo() { bin/mo "$@"; }
bin/mo server --state-dir "$MO_STATE_DIR" --port $api_port --bind $first --node-name fleet-h1 \
  --address $first --ingress-port $ingress_port \
  --node-monitor-grace-period "$grace" --pod-eviction-timeout "$eviction" >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_until test -s "$MO_STATE_DIR/join-token"
wait_until curl -fs --cacert "$tmp/mo/pki/ca.crt" -o /dev/null "https://$first:$api_port/healthz"
token=$(cat "$MO_STATE_DIR/token")
api() { curl -fsS --max-time 5 --cacert "$tmp/mo/pki/ca.crt" -H "Authorization: Bearer $token" "https://$first:$api_port/api/$1"; }
for i in 2 3; do
  bash $hosts_script exec h$i java -jar cli/target/mo.jar agent --server "$MO_SERVER" \
    --join-token-file "$MO_STATE_DIR/join-token" --node-name fleet-h$i --data-dir "$tmp/agent-h$i" \
    --address 10.213.0.$i --docker-host unix:///run/mo-hosts/h$i/docker.sock \
    --ingress-port $ingress_port --agent-port $agent_port >"$tmp/agent-h$i.log" 2>&1 &
  agent_pids+=($!)
done
ready_nodes() { api nodes | jq '[.items[] | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length'; }
nodes_ready() { [ "$(ready_nodes)" = "$1" ]; }
wait_until nodes_ready 3

write_web_manifests "$tmp" $ns $name $replicas
mo apply -f "$tmp/base.yaml" >/dev/null

mo_done() {
  api "deployments/$name?namespace=$ns" 2>/dev/null | jq -e --argjson n $replicas '
    (.status.observedGeneration // 0) >= .metadata.generation and
    (.status.updatedReplicas // 0) == $n and (.status.availableReplicas // 0) == $n and
    (.status.replicas // 0) == $n' >/dev/null
}
# "NODE COUNT" lines of the ready pods that are not being deleted.
mo_spread() {
  api "pods?namespace=$ns" 2>/dev/null | jq -r '
    [.items[] | select(.metadata.deletionTimestamp == null)
              | select(any(.status.conditions[]?; .type == "Ready" and .status == "True")) | .spec.nodeName]
    | group_by(.) | map("\(.[0])=\(length)") | join(" ")'
}
# 6 ready pods, none on the dead host.
mo_recovered() {
  api "pods?namespace=$ns" 2>/dev/null | jq -e --argjson n $replicas '
    [.items[] | select(.metadata.deletionTimestamp == null) | select(.spec.nodeName != "fleet-h3")
              | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length == $n' >/dev/null
}
# The dead host is back: Ready, no pod of the namespace is being deleted, its engine runs none of the old ones.
mo_healed() {
  nodes_ready 3 && api "pods?namespace=$ns" 2>/dev/null | jq -e '[.items[] | select(.metadata.deletionTimestamp != null)] | length == 0' >/dev/null
}
mo_gone() {
  [ "$(api "pods?namespace=$ns" | jq '.items | length')" = 0 ] || return 1
  local h; for h in h1 h2 h3; do [ -z "$(hdocker $h ps -aq --filter label=mo.namespace=$ns)" ] || return 1; done
}

mo_start=(); mo_roll=(); mo_death=(); mo_req=(); mo_fail=(); mo_dreq=(); mo_dfail=(); mo_dslow=()
mo_round() {
  t0=$(now_ms)
  mo apply -f "$tmp/deploy.yaml" >/dev/null
  wait_until mo_done
  t1=$(now_ms); mo_start+=($((t1 - t0)))
  spread=$(mo_spread)
  wait_until curl -fs -o /dev/null --max-time 2 "http://$first:$ingress_port/"

  load_start roll
  t0=$(now_ms)
  mo set image deployment/$name web=mo-example/hello:v2 -n $ns >/dev/null
  wait_until mo_done
  t1=$(now_ms); mo_roll+=($((t1 - t0)))
  load_stop; mo_req+=($((ok + fail))); mo_fail+=($fail)
  rok=$ok rfail=$fail rslow=$slow

  load_start death
  t0=$(now_ms)
  host_down
  wait_until mo_recovered
  t1=$(now_ms); mo_death+=($((t1 - t0)))
  load_stop; mo_dreq+=($((ok + fail))); mo_dfail+=($fail); mo_dslow+=($slow)
  host_up
  wait_until mo_healed

  echo "mo    $(round_name): start $(secs ${mo_start[-1]}) s [$spread], roll $(secs ${mo_roll[-1]}) s, death $(secs ${mo_death[-1]}) s;" \
       "ingress: roll $((rok + rfail)) requests, $rfail failed, $rslow slow; death $((ok + fail)) requests, $fail failed, $slow slow"
  mo delete deployment $name -n $ns >/dev/null
  wait_until mo_gone
}

# ---------- bare docker run: the floor for start ----------
bare_label=mo-fleet-bench-bare
bare_ready() {
  local h id ids port
  for h in h1 h2 h3; do
    ids=$(hdocker $h ps -q --filter label=$bare_label)
    [ "$(wc -w <<<"$ids")" = 2 ] || return 1
    for id in $ids; do
      port=$(hdocker $h port "$id" 8080 | sed 's/.*://')
      curl -fs -o /dev/null --max-time 1 "http://10.213.0.${h#h}:$port/" || return 1
    done
  done
}
bare_start=()
bare_round() {
  local h i pids=()
  t0=$(now_ms)
  for h in h1 h2 h3; do
    for i in 1 2; do
      hdocker $h run -d --label $bare_label -p "10.213.0.${h#h}::8080" mo-example/hello:v1 >/dev/null & pids+=($!)
    done
  done
  wait "${pids[@]}"
  wait_until bare_ready
  t1=$(now_ms); bare_start+=($((t1 - t0)))
  echo "bare  $(round_name): start $(secs ${bare_start[-1]}) s"
  for h in h1 h2 h3; do hdocker $h rm -f $(hdocker $h ps -aq --filter label=$bare_label) >/dev/null; done
}

# ---------- Docker Swarm ----------
t0=$(now_ms)
docker swarm init --advertise-addr $first >/dev/null
swarm_joined=1
join_token=$(docker swarm join-token -q worker)
for i in 2 3; do hdocker h$i swarm join --token "$join_token" --advertise-addr 10.213.0.$i $first:2377 >/dev/null; done
swarm_init_ms=$(( $(now_ms) - t0 ))
h3_id=$(hdocker h3 info --format '{{.Swarm.NodeID}}')
swarm_nodes_ready() { [ "$(docker node ls --format '{{.Status}}' | grep -c '^Ready$')" = 3 ]; }
wait_until swarm_nodes_ready

# "NODE_ID IMAGE STATE" for each task the service wants running.
tasks() {
  local ids; ids=$(docker service ps -q --filter desired-state=running $svc 2>/dev/null) || return 0
  [ -n "$ids" ] && docker inspect --format '{{.NodeID}} {{.Spec.ContainerSpec.Image}} {{.Status.State}}' $ids 2>/dev/null
}
# 6 tasks running (Swarm counts a task as running once its container is healthy) on image $1,
# and none on node $2 if given.
sw_done() {
  local t; t=$(tasks)
  [ "$(grep -c " mo-example/hello:$1 running$" <<<"$t")" = $replicas ] && [ "$(wc -l <<<"$t")" = $replicas ] || return 1
  [ -z "${2:-}" ] || ! grep -q "^$2 " <<<"$t"
}
sw_spread() { tasks | awk '{print $1}' | sort | uniq -c | awk '{printf "%s%s=%s", sep, substr($2, 1, 6), $1; sep=" "}'; }
sw_healed() {
  swarm_nodes_ready && [ -z "$(hdocker h3 ps -q --filter label=com.docker.swarm.service.name=$svc)" ]
}
sw_gone() {
  ! docker service inspect $svc >/dev/null 2>&1 || return 1
  local h; for h in h1 h2 h3; do [ -z "$(hdocker $h ps -aq --filter label=com.docker.swarm.service.name=$svc)" ] || return 1; done
}

sw_start=(); sw_roll=(); sw_death=()
sw_round() {
  t0=$(now_ms)
  docker service create -d -q --no-resolve-image --name $svc --replicas $replicas \
    --health-cmd "$health" --health-interval 1s --health-timeout 2s --health-retries 3 \
    mo-example/hello:v1 >/dev/null
  wait_until sw_done v1
  t1=$(now_ms); sw_start+=($((t1 - t0)))
  spread=$(sw_spread)

  t0=$(now_ms)
  docker service update -d -q --no-resolve-image --image mo-example/hello:v2 \
    --update-order start-first --update-parallelism 1 $svc >/dev/null
  wait_until sw_done v2
  t1=$(now_ms); sw_roll+=($((t1 - t0)))

  t0=$(now_ms)
  host_down
  wait_until sw_done v2 "$h3_id"
  t1=$(now_ms); sw_death+=($((t1 - t0)))
  host_up
  wait_until sw_healed

  echo "swarm $(round_name): start $(secs ${sw_start[-1]}) s [$spread], roll $(secs ${sw_roll[-1]}) s, death $(secs ${sw_death[-1]}) s"
  docker service rm $svc >/dev/null
  wait_until sw_gone
}


r=0
mo_round
sw_round
bare_round
mo_start=(); mo_roll=(); mo_death=(); mo_req=(); mo_fail=(); mo_dreq=(); mo_dfail=(); mo_dslow=()
sw_start=(); sw_roll=(); sw_death=(); bare_start=()
rm -f "$tmp/failures" "$tmp/slow"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then mo_round; sw_round; else sw_round; mo_round; fi
  bare_round
done

echo
echo "swarm init and two joins (once, not counted): $(secs $swarm_init_ms) s; mo: --node-monitor-grace-period $grace --pod-eviction-timeout $eviction"
print_medians "$rounds" start roll death
echo "mo ingress: during roll median $(median "${mo_req[@]}") requests/round, failed per round: ${mo_fail[*]};" \
     "during death median $(median "${mo_dreq[@]}") requests/round, failed per round: ${mo_dfail[*]}, slower than 1 s per round: ${mo_dslow[*]}"
echo "start, bare docker run of the same 6 containers (median): $(secs $(median "${bare_start[@]}")) s;" \
     "mo/bare $(ratio $(median "${mo_start[@]}") $(median "${bare_start[@]}")), swarm/bare $(ratio $(median "${sw_start[@]}") $(median "${bare_start[@]}"))"
[ -s "$tmp/failures" ] && sed 's/^/  failed: /' "$tmp/failures"
[ -s "$tmp/slow" ] && sed 's/^/  slow: /' "$tmp/slow"
true
