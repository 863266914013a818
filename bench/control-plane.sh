#!/usr/bin/env bash
# Controllers + scheduler + agents over the fake runtime: N pods on M nodes, pods bound and
# reported Running per second. Usage: bench/control-plane.sh [pods=1000] [nodes=10] [rounds=3]
# Each fake node takes 110 pods (the kubelet's default): keep pods within 110 × nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests install -pl core,agent -am >/dev/null
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -q -B -ntp -pl agent test-compile dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null
java -cp "agent/target/test-classes:agent/target/classes:$(cat "$cpfile")" dev.mo.bench.ControlPlaneBench "$@"
