#!/usr/bin/env bash
# Builds mo-example/hello:v1 and :v2 from Debian's static busybox (no registry needed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$here"/image/* "$ctx"/
cp /bin/busybox "$ctx"/busybox
for v in v1 v2; do
  # The legacy builder warns that it is deprecated on every build: keep stderr for failures only.
  if ! docker build -q --build-arg VERSION="$v" -t "mo-example/hello:$v" "$ctx" >/dev/null 2>"$ctx/build.log"; then
    cat "$ctx/build.log" >&2
    exit 1
  fi
  echo "built mo-example/hello:$v"
done
