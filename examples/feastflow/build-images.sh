#!/usr/bin/env bash
# Builds FeastFlow's images into the local Docker engine:
#   postgres:15-alpine                          the database
#   feastflow-backend:v1, feastflow-backend:v2  the Java API (they differ only in APP_VERSION)
#   feastflow-frontend:v1                       the static web page
#
# Usage: build-images.sh [--offline | --registry]
#   With a registry, the bases are pulled: postgres:15-alpine, eclipse-temurin:17-jre,
#   busybox:1.36. Offline (no registry answers), the same tags are built from Debian
#   packages: a Debian bookworm rootfs with PostgreSQL 15 and a Java 17 runtime, made by
#   mmdebstrap and imported as feastflow-base:bookworm (about a minute, once: later runs
#   reuse it), and Debian's static busybox as feastflow-busybox:static.
#   By default the script tries one pull and picks the mode itself.
# Needs: docker, a JDK 17 and Maven (the backend jar is built here); offline, mmdebstrap
# (installed with apt-get when missing, which needs root).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
images="$here/images"
BASE_IMAGE=feastflow-base:bookworm
BUSYBOX_IMAGE=feastflow-busybox:static

mode=auto
for arg in "$@"; do
  case "$arg" in
    --offline) mode=offline ;;
    --registry) mode=registry ;;
    -h | --help) sed -n '2,15p' "$0" | cut -c3-; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

step() { echo "==> $*"; }
work="$(mktemp -d)"
mvn_pid=""
# On an early exit, stop the background Maven build too.
trap '[ -z "$mvn_pid" ] || kill "$mvn_pid" 2>/dev/null; rm -rf "$work"' EXIT

# docker build, quiet unless it fails (the legacy builder warns on every build).
build() { # build TAG CONTEXT [docker build options...]
  local tag=$1 context=$2
  shift 2
  step "building $tag"
  if ! docker build -q -t "$tag" "$@" "$context" >/dev/null 2>"$work/build.log"; then
    cat "$work/build.log" >&2
    exit 1
  fi
}

pull() {
  step "pulling $1"
  docker pull -q "$1" >/dev/null
}

if [ "$mode" = auto ]; then
  step "looking for a registry (docker pull busybox:1.36, at most 20 s)"
  if timeout 20 docker pull -q busybox:1.36 >/dev/null 2>&1; then mode=registry; else mode=offline; fi
fi
step "mode: $mode"

# The backend jar builds while the bases are fetched or made.
step "building the backend jar (mvn package, in the background)"
mvn -q -B -ntp -f "$here/backend/pom.xml" package >"$work/mvn.log" 2>&1 &
mvn_pid=$!

# Offline: one Debian rootfs for both the database and the backend (one download, one
# layer on disk). Documentation, manual pages and translations are left out; the cluster
# that Debian's postgresql package creates on install is removed (the entrypoint runs
# initdb in PGDATA). /usr/share/man/man1 must exist for the JRE's post-install script.
build_base() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    step "$BASE_IMAGE exists, reusing it (docker rmi $BASE_IMAGE to build it again)"
    return
  fi
  if ! command -v mmdebstrap >/dev/null; then
    step "installing mmdebstrap"
    if [ "$(id -u)" != 0 ]; then
      echo "mmdebstrap is missing: install it as root (apt-get install -y mmdebstrap)" >&2
      exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >/dev/null 2>"$work/apt.log" || {
      apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >/dev/null
    }
  fi
  step "building $BASE_IMAGE: Debian bookworm, postgresql-15, openjdk-17-jre-headless (mmdebstrap, about a minute)"
  local id
  if ! id=$(mmdebstrap --quiet --variant=apt --format=tar \
      --include=postgresql-15,openjdk-17-jre-headless \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
      --customize-hook='rm -rf "$1"/var/lib/postgresql/15 "$1"/etc/postgresql/15' \
      bookworm - \
      "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian bookworm-updates main" \
      "deb http://deb.debian.org/debian-security bookworm-security main" |
    docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["bash"]' \
      -m "FeastFlow base: Debian bookworm with postgresql-15 and openjdk-17-jre-headless" - ); then
    # Tag only a complete import, so that a failed run is not reused by the next one.
    [ -n "${id:-}" ] && docker rmi "$id" >/dev/null 2>&1
    echo "building $BASE_IMAGE failed" >&2
    exit 1
  fi
  docker tag "$id" "$BASE_IMAGE"
}

# Debian's static busybox: the installed one if package busybox-static is there, else
# extracted from the package without installing it.
static_busybox() {
  if dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
    cp /bin/busybox "$1"
  else
    step "fetching Debian's busybox-static package"
    (cd "$work" && apt-get download -q busybox-static >/dev/null)
    dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox-static"
    cp "$work/busybox-static/bin/busybox" "$1"
  fi
}

if [ "$mode" = registry ]; then
  pull postgres:15-alpine
  pull eclipse-temurin:17-jre
  pull busybox:1.36
  backend_base=eclipse-temurin:17-jre
  frontend_base=busybox:1.36
else
  build_base
  build postgres:15-alpine "$images/postgres" --build-arg BASE="$BASE_IMAGE"
  mkdir "$work/busybox"
  cp "$images/busybox-static/Dockerfile" "$work/busybox/"
  static_busybox "$work/busybox/busybox"
  build "$BUSYBOX_IMAGE" "$work/busybox"
  backend_base=$BASE_IMAGE
  frontend_base=$BUSYBOX_IMAGE
fi

build feastflow-frontend:v1 "$images/frontend" --build-arg BASE="$frontend_base"

mvn_status=0
wait "$mvn_pid" || mvn_status=$?
mvn_pid=""
if [ "$mvn_status" != 0 ]; then
  cat "$work/mvn.log" >&2
  echo "building the backend jar failed" >&2
  exit 1
fi
mkdir "$work/backend"
cp "$images/backend/Dockerfile" "$here/backend/target/feastflow-backend.jar" "$work/backend/"
for version in v1 v2; do
  build "feastflow-backend:$version" "$work/backend" \
    --build-arg BASE="$backend_base" --build-arg APP_VERSION="$version"
done

step "done in ${SECONDS} s ($mode):"
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' |
  grep -E '^(postgres:15-alpine|feastflow-(backend|frontend):v[12]) ' | sed 's/^/    /' || true
