#!/usr/bin/env bash
# The main job on a fresh machine: build mo, make sure Docker runs, build the example
# images, start `mo server` (control plane + agent for this host), apply the example
# manifests, wait until every replica runs, and show where to reach them.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

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

step "Building the example images (FROM scratch + Debian's static busybox)"
examples/hello/build-image.sh

state="${MO_STATE_DIR:-$HOME/.mo}"
mkdir -p "$state"
if curl -fsS http://127.0.0.1:7070/healthz >/dev/null 2>&1; then
  step "A mo server already answers on 127.0.0.1:7070: using it"
else
  step "Starting mo server in the background (log: $state/server.log)"
  nohup bin/mo server --state-dir "$state" >>"$state/server.log" 2>&1 &
  for _ in $(seq 1 100); do curl -fsS http://127.0.0.1:7070/healthz >/dev/null 2>&1 && break; sleep 0.2; done
fi
export MO_STATE_DIR="$state"

step "mo apply -f examples/hello/k8s/"
bin/mo apply -f examples/hello/k8s/

step "Waiting for 3 replicas to run"
for _ in $(seq 1 120); do
  ready=$(bin/mo get deployment hello -n hello -o json | grep -o '"availableReplicas" *: *[0-9]*' | grep -o '[0-9]*$' || true)
  [ "${ready:-0}" = 3 ] && break
  sleep 0.5
done
bin/mo get deployments,pods -n hello -o wide

step "The Ingress proxy balances over the ready replicas: http://127.0.0.1:8080/"
for _ in $(seq 1 50); do curl -fsS http://127.0.0.1:8080/ >/dev/null 2>&1 && break; sleep 0.2; done
for _ in 1 2 3 4 5 6; do printf '  GET http://127.0.0.1:8080/  ->  %s\n' "$(curl -fsS http://127.0.0.1:8080/)"; done
cat <<MSG

mo is running; the app answers at http://127.0.0.1:8080/. Try:
  bin/mo get pods,services,endpoints -n hello
  docker kill \$(docker ps -q --filter label=mo.namespace=hello | head -1)   # a replica dies; mo starts it again
  bin/mo describe deployment hello -n hello
  bin/mo logs deployment/hello -n hello
  bin/mo delete namespace hello
MSG
