#!/usr/bin/env bash
# The main job on a fresh machine: build mo, make sure Docker runs, build the example
# images, start `mo server` (control plane + agent for this host), apply the example
# manifests, wait until every rollout is done, and show where to reach the app.
#
#   scripts/quickstart.sh            examples/hello: 3 replicas behind a Service and an Ingress
#   scripts/quickstart.sh feastflow  examples/feastflow: PostgreSQL, backend and frontend
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

app="${1:-hello}"
case "$app" in
  hello)
    build=(examples/hello/build-image.sh)
    manifests=examples/hello/k8s/
    ns=hello
    rollouts=(deployment/hello)
    ;;
  feastflow)
    build=(examples/feastflow/build-images.sh)
    manifests=examples/feastflow/devops/kubernetes/
    ns=feastflow
    rollouts=(statefulset/postgres deployment/feastflow-backend deployment/feastflow-frontend)
    ;;
  *) echo "usage: $0 [hello|feastflow]" >&2; exit 2 ;;
esac

step "Checking the toolchain"
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
  else
    echo "missing: Maven and a JDK 17" >&2; exit 1
  fi
fi
scripts/ensure-docker.sh

step "Building mo (cli/target/mo.jar)"
mvn -q -B -ntp -DskipTests package

step "Building the $app images (no registry needed)"
"${build[@]}"

state="${MO_STATE_DIR:-$HOME/.mo}"
mkdir -p "$state"
# The API speaks TLS only; its CA is made at the server's first start in STATE/pki/ca.crt.
api_up() { [ -f "$state/pki/ca.crt" ] && curl -fsS --cacert "$state/pki/ca.crt" https://127.0.0.1:7070/healthz >/dev/null 2>&1; }
if api_up; then
  step "A mo server already answers on 127.0.0.1:7070: using it"
else
  step "Starting mo server in the background (log: $state/server.log)"
  nohup bin/mo server --state-dir "$state" >>"$state/server.log" 2>&1 &
  for _ in $(seq 1 100); do api_up && break; sleep 0.2; done
fi
export MO_STATE_DIR="$state"

step "mo apply -f $manifests"
bin/mo apply -f "$manifests"

step "Waiting for the rollouts"
for r in "${rollouts[@]}"; do bin/mo rollout status "$r" -n "$ns" --timeout 300s; done
bin/mo get pods,services -n "$ns" -o wide

url=http://127.0.0.1:8080
step "The Ingress proxy balances over the ready replicas: $url/"
for _ in $(seq 1 50); do curl -fsS "$url/" >/dev/null 2>&1 && break; sleep 0.2; done
if [ "$app" = hello ]; then
  for _ in 1 2 3 4 5 6; do printf '  GET %s/  ->  %s\n' "$url" "$(curl -fsS "$url/")"; done
  cat <<MSG

mo is running; the app answers at $url/. Try:
  bin/mo get pods,services,endpoints -n hello
  docker kill \$(docker ps -q --filter label=mo.namespace=hello | head -1)   # a replica dies; mo starts it again
  bin/mo describe deployment hello -n hello
  bin/mo logs deployment/hello -n hello
  bin/mo delete namespace hello
MSG
else
  for _ in $(seq 1 60); do curl -fsS "$url/api/health" >/dev/null 2>&1 && break; sleep 1; done
  printf '  GET %s/          ->  %s\n' "$url" "$(curl -fsS "$url/" | grep -o '<title>[^<]*</title>' | head -1)"
  for path in /api/info /api/menu; do printf '  GET %s%-9s ->  %s\n' "$url" "$path" "$(curl -fsS "$url$path")"; done
  cat <<MSG

FeastFlow is running: open $url/ (the page calls $url/api/menu through the Ingress). Try:
  bin/mo get pods,services,pvc,hpa -n feastflow
  examples/feastflow/scenarios.sh           # the five scenarios: crash, spike, v2, storage, config
  bin/mo logs deployment/feastflow-backend -n feastflow
  bin/mo delete namespace feastflow
MSG
fi
