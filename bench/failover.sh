#!/usr/bin/env bash
# A replica killed behind mo's Ingress proxy: failed requests, time until it leaves the
# Endpoints, time until it answers again. Needs Docker. Usage: bench/failover.sh [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests install >/dev/null
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -q -B -ntp -pl examples test-compile dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null
java -Dmo.jar=cli/target/mo.jar -Dmo.examples=examples \
  -cp "examples/target/test-classes:$(cat "$cpfile")" dev.mo.examples.FailoverBench "$@"
