#!/usr/bin/env bash
# The test command: unit, controller and end-to-end tests on a real Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mvn >/dev/null || { echo "missing: Maven and a JDK 17 (apt-get install maven openjdk-17-jdk-headless)" >&2; exit 1; }
scripts/ensure-docker.sh
exec mvn -B -ntp verify "$@"
