#!/usr/bin/env bash
# The seed's five scenarios, for real, on a running FeastFlow (start it with
# `scripts/quickstart.sh feastflow`). Each step says what it does, runs the command a
# kubectl user would run (with mo in place of kubectl), and checks what the user should
# see. It stops with exit code 1 at the first thing that is not as promised.
#
#   1. A backend pod crashes          -> mo starts it again; no request fails
#   2. A traffic spike                -> mo scale, then the HorizontalPodAutoscaler
#   3. Backend v1 -> v2, and back     -> rolling update and rollout undo; no request fails
#   4. The database needs more storage -> claim grown; data kept when its pod is deleted
#   5. A configuration change         -> ConfigMap edited, rollout restart; no request fails
#
# Settings (environment): MO_SERVER / MO_STATE_DIR as for any mo command;
# INGRESS (default http://127.0.0.1:8080) is where the Ingress proxy listens;
# DOCKER_AT is how to run `docker` on a node, {address} standing for the node's address
# (default `docker`: the local engine, for mo on one host). On a fleet:
# DOCKER_AT='docker -H ssh://root@{address}'; on this machine's test hosts:
# DOCKER_AT='scripts/test-hosts.sh docker {address}'.
set -euo pipefail
cd "$(dirname "$0")/../.."

INGRESS="${INGRESS:-http://127.0.0.1:8080}"
INGRESS="${INGRESS%/}"
NS=feastflow
LOAD_WORKERS="${LOAD_WORKERS:-3}"
DOCKER_AT="${DOCKER_AT:-docker}"
LOAD_MAX_SECONDS=600   # a load loop stops by itself after this, whatever happens to the script

mo() { bin/mo "$@"; }
# Sets the array node_docker to the command that runs docker on the engine of node $1.
docker_of_node() {
  local address
  address=$(mo get node "$1" -o wide | awk 'NR==2 {print $6}')
  [ -n "$address" ] || fail "node $1 has no address"
  read -r -a node_docker <<<"${DOCKER_AT//\{address\}/$address}"
}

# --- narration --------------------------------------------------------------------
scenario() { printf '\n======== %s ========\n' "$*"; }
say() { printf '\n--> %s\n' "$*"; }
# Shows a command as the user would type it (quoted where a shell needs it), runs it, and
# indents its output.
run() {
  local arg shown=()
  for arg in "$@"; do
    if [[ "$arg" =~ [^A-Za-z0-9_./:=,@%+-] ]]; then shown+=("'$arg'"); else shown+=("$arg"); fi
  done
  printf '  $ %s\n' "${shown[*]}"
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/    /'
  return $rc
}
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
ok() { printf '  ok: %s\n' "$*"; }

# Retries a command until it succeeds or SECONDS run out.
wait_for() {
  local what="$1" limit="$2"; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || fail "waited ${limit}s for: $what"
    sleep 1
  done
  ok "$what"
}

# One JSON string field of a flat answer, e.g. json_field version '{"version":"v1"}'.
json_field() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p"; }
get() { curl -fsS --max-time 10 "$INGRESS$1"; }

# --- steady load through the Ingress ------------------------------------------------
# LOAD_WORKERS loops of curl, 20 keep-alive requests per call, every status code written
# down; load_stop counts them. Anything but 200 (a 503, a 502, a refused connection: 000)
# is a failed request.
load_start() {
  load_dir=$(mktemp -d)
  load_pids=()
  local w
  for w in $(seq 1 "$LOAD_WORKERS"); do
    (
      end=$((SECONDS + LOAD_MAX_SECONDS))
      while [ ! -e "$load_dir/stop" ] && [ $SECONDS -lt $end ]; do
        curl -s --max-time 10 "$INGRESS$1?n=[1-20]" -w '%{stderr}%{http_code}\n' >/dev/null 2>>"$load_dir/codes.$w" || true
      done
    ) &
    load_pids+=($!)
  done
  say "steady load: $LOAD_WORKERS clients sending GET $1 through the Ingress"
}

load_stop() {
  touch "$load_dir/stop"
  wait "${load_pids[@]}" 2>/dev/null || true
  local total failed
  total=$(cat "$load_dir"/codes.* | wc -l)
  failed=$(cat "$load_dir"/codes.* | grep -vc '^200$' || true)
  printf '  load: %d requests, %d failed\n' "$total" "$failed"
  if [ "$failed" -gt 0 ]; then
    cat "$load_dir"/codes.* | sort | uniq -c | sed 's/^/    status /'
    rm -rf "$load_dir"
    # What the backends went through (probe failures, restarts), to tell why they were not served.
    run mo get pods -n $NS -l component=backend -o wide || true
    run mo get events -n $NS || true
    fail "$failed requests failed"
  fi
  [ "$total" -gt 0 ] || fail "the load sent no request"
  rm -rf "$load_dir"
}
# On an early exit, the load loops stop too (after load_stop, load_dir is gone).
trap 'if [ -d "${load_dir:-}" ]; then touch "$load_dir/stop"; fi' EXIT

# --- what the cluster looks like ------------------------------------------------------
backend_versions() { for _ in $(seq 1 "$1"); do get /api/info | json_field version; done | sort | uniq -c; }
only_version() { [ "$(for _ in 1 2 3 4 5 6 7 8; do get /api/info | json_field version; done | sort -u)" = "$1" ]; }
only_message() { [ "$(for _ in 1 2 3 4 5 6 7 8; do get /api/info | json_field message; done | sort -u)" = "$1" ]; }
# READY of `mo get deployment NAME` is ready/desired.
ready_column() { mo get "$1" -n $NS | awk 'NR==2 {print $2}'; }
has_ready_replicas() { [ "$(ready_column "$1")" = "$2/$2" ]; }
all_ready() { ready_column "$1" | awk -F/ '{exit !($1 == $2 && $1 > 0)}'; }
hpa_replicas() { mo get hpa feastflow-backend -n $NS -o json | sed -n 's/.*"currentReplicas" *: *\([0-9]*\).*/\1/p' | head -1; }
hpa_scaled_up() { [ "$(hpa_replicas)" -gt 2 ] 2>/dev/null; }
backend_pods() { mo get pods -n $NS -l component=backend -o name | sed 's|^pod/||'; }
restarts_of() { mo get pod "$1" -n $NS | awk 'NR==2 {print $4}'; }
distinct_pods() { for _ in $(seq 1 30); do get /api/info | json_field pod; done | sort -u | wc -l; }
# True once 30 requests through the Ingress reach at least $1 different backend pods.
spread_over() { [ "$(distinct_pods)" -ge "$1" ]; }

scenario "FeastFlow as it runs"
wait_for "the backend answers through the Ingress" 120 get /api/health
run mo get pods,services,pvc -n $NS
run curl -fsS "$INGRESS/api/menu"
echo
get / | grep -qi feastflow || fail "the frontend page is not served at $INGRESS/"
ok "the frontend page is served at $INGRESS/"

scenario "1. A backend pod crashes"
victim=$(backend_pods | head -1)
victim_node=$(mo get pod "$victim" -n $NS -o json | json_field nodeName)
docker_of_node "$victim_node"
container=$("${node_docker[@]}" ps -q --filter "label=mo.namespace=$NS" --filter "label=mo.pod=$victim" --filter label=mo.container=backend)
[ -n "$container" ] || fail "no container found for pod $victim"
before=$(restarts_of "$victim")
restarted() { [ "$(restarts_of "$victim")" -gt "$before" ]; }
load_start /api/menu
sleep 2
say "the backend's container in pod $victim dies on node $victim_node (docker kill, as a crash would)"
run "${node_docker[@]}" kill "$container"
wait_for "mo restarted it (RESTARTS went up)" 60 restarted
wait_for "every backend replica is ready again" 90 all_ready deployment/feastflow-backend
sleep 2
load_stop
run mo get pods -n $NS -l component=backend
ok "the other replicas served every request while $victim was down"
say "(the load may also have made the autoscaler add replicas: 11-backend-hpa.yaml asks for 70% of 100m CPU)"

scenario "2. A traffic spike"
say "option 1, by hand. An autoscaler would set the count back, so its object goes first."
run mo delete hpa feastflow-backend -n $NS
load_start /api/menu
run mo scale deployment feastflow-backend --replicas=5 -n $NS
wait_for "5 backend replicas ready" 120 has_ready_replicas deployment/feastflow-backend 5
say "a ready pod joins the Service's Endpoints, and every node's proxy picks that up a moment later"
wait_for "the Ingress spreads 30 requests over all 5 replicas" 15 spread_over 5
run mo scale deployment feastflow-backend --replicas=2 -n $NS
wait_for "back to 2 backend replicas" 120 has_ready_replicas deployment/feastflow-backend 2
load_stop

say "option 2, automatic: the HorizontalPodAutoscaler (min 2, max 10, 70% of the requested CPU)"
run mo autoscale deployment feastflow-backend --cpu-percent=70 --min=2 --max=10 -n $NS
LOAD_WORKERS=$((LOAD_WORKERS + 1)) load_start /api/menu
wait_for "the autoscaler added replicas under load" 180 hpa_scaled_up
run mo get hpa -n $NS
load_stop
say "without load it goes back to 2 after its 5-minute scale-down window (not waited for here)"

scenario "3. Update the backend to v2, then back"
backend_versions 6
load_start /api/menu
run mo set image deployment/feastflow-backend backend=feastflow-backend:v2 -n $NS
run mo rollout status deployment/feastflow-backend -n $NS --timeout 300s
wait_for "every answer comes from v2" 30 only_version v2
load_stop
backend_versions 6
say "v2 has a problem? Roll back:"
load_start /api/menu
run mo rollout undo deployment/feastflow-backend -n $NS
run mo rollout status deployment/feastflow-backend -n $NS --timeout 300s
wait_for "every answer comes from v1 again" 30 only_version v1
load_stop
run mo rollout history deployment/feastflow-backend -n $NS

scenario "4. The database needs more storage"
order=$(curl -fsS --max-time 10 -X POST -H 'Content-Type: application/json' -d '{"itemId":1,"quantity":2}' "$INGRESS/api/orders")
order_id=$(printf '%s' "$order" | sed -n 's/.*"id" *: *\([0-9]*\).*/\1/p')
[ -n "$order_id" ] || fail "placing an order failed: $order"
ok "order $order_id stored in PostgreSQL"
run mo get pvc -n $NS
run mo patch pvc postgres-pvc -n $NS -p '{"spec":{"resources":{"requests":{"storage":"10Gi"}}}}'
pvc_is_10gi() { mo get pvc postgres-pvc -n $NS | grep -q 10Gi; }
wait_for "the claim shows 10Gi" 30 pvc_is_10gi
run mo get pvc -n $NS
say "the database pod is deleted; its StatefulSet makes postgres-0 again, on the same volume"
run mo delete pod postgres-0 -n $NS
run mo rollout status statefulset/postgres -n $NS --timeout 180s
wait_for "the backend reaches the database again" 120 get /api/health
get /api/orders | grep -q "\"id\" *: *$order_id\b" || fail "order $order_id is gone"
ok "order $order_id is still there"

scenario "5. A configuration change"
message="FeastFlow: now serving breakfast"
run mo patch configmap feastflow-config -n $NS -p "{\"data\":{\"APP_MESSAGE\":\"$message\"}}"
say "running pods keep the environment they started with, as in Kubernetes; a rolling restart brings the change in"
load_start /api/menu
run mo rollout restart deployment/feastflow-backend -n $NS
run mo rollout status deployment/feastflow-backend -n $NS --timeout 300s
wait_for "every backend shows the new message" 30 only_message "$message"
load_stop
run curl -fsS "$INGRESS/api/info"
echo

scenario "All five scenarios behaved as promised"
