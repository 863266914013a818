#!/usr/bin/env bash
# Makes sure a Docker engine answers, as a new user on a bare Debian machine would:
# installs Debian's docker.io (and busybox-static, which the example images are built
# from, iproute2, for the test hosts, and systemd, whose checker reads the unit files) when missing, and starts dockerd when no daemon answers. Elsewhere it says in one
# line what is missing.
set -euo pipefail

say() { echo "[ensure-docker] $*" >&2; }

if docker info >/dev/null 2>&1 && [ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' && command -v ip >/dev/null \
   && command -v systemd-analyze >/dev/null; then
  exit 0
fi

is_debian_root() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v ip >/dev/null 2>&1 || need+=(iproute2) # the test hosts (scripts/test-hosts.sh) are network namespaces
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd) # checks deploy/systemd's unit files (SystemdUnitsTest)
{ [ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic'; } || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  if ! is_debian_root; then
    echo "missing: ${need[*]} (install Docker Engine and a static busybox, or run as root on Debian so this script can)" >&2
    exit 1
  fi
  say "installing ${need[*]} from Debian"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: a running Docker engine (start dockerd, or run this as root so it can)" >&2
    exit 1
  fi
  say "starting dockerd (log: /var/log/mo-dockerd.log)"
  nohup dockerd >/var/log/mo-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/mo-dockerd.log" >&2; exit 1; }
fi
say "Docker $(docker version --format '{{.Server.Version}}') is running"
