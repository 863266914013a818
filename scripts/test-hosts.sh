#!/usr/bin/env bash
# Extra Docker hosts on this one machine, for tests, benchmarks and trying a fleet.
#
# Each extra host is a network namespace with a veth on the bridge br-mo, an address of its
# own and its own dockerd (own data root, exec root, socket and container bridge). This
# machine's own network stack is the first host, 10.213.0.1 on br-mo.
#
#   scripts/test-hosts.sh up [N]      N extra hosts (default 2): h2 = 10.213.0.2, h3 = 10.213.0.3, ...
#   scripts/test-hosts.sh down        stops their engines and removes them, the bridge and the firewall rule
#   scripts/test-hosts.sh list        one line per host: NAME ADDRESS DOCKER_HOST NETNS
#   scripts/test-hosts.sh exec NAME CMD...   runs CMD in the host's network namespace
#                                     (with DOCKER_HOST set to its engine)
#   scripts/test-hosts.sh docker ADDRESS ARGS...   `docker ARGS` on the engine of the host with that
#                                     address (10.213.0.1: this machine's own engine)
#
# `up` first removes what an earlier run left, so a failed test never leaves a second one
# half made. `down` leaves the main engine and the machine's network as they were. Root only.
set -euo pipefail

BRIDGE=br-mo
PREFIX=10.213.0
RUN=/run/mo-hosts        # sockets, pid files, exec roots (short paths: a socket path has 108 bytes)
DATA=/var/lib/mo-hosts   # the engines' data roots (images, containers)
# Docker's FORWARD policy is DROP, and with br_netfilter loaded that also holds frames
# bridged between two veths of br-mo: this rule lets the hosts reach each other.
FORWARD_RULE=(FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT)

say() { echo "[test-hosts] $*" >&2; }
die() { echo "test-hosts: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it makes network namespaces and starts dockerd)"
for tool in ip nsenter dockerd docker iptables; do
  command -v "$tool" >/dev/null || die "missing: $tool"
done

hosts() { ls "$RUN" 2>/dev/null | grep -E '^h[0-9]+$' | sort -V || true; }

netns_of() { echo "mo-$1"; }

stop_engine() {
  local name=$1 dir=$RUN/$1 pid
  if [ -f "$dir/docker.pid" ]; then
    pid=$(cat "$dir/docker.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # Whatever still runs in the namespace (a shim, an agent a test left) goes with it.
  if ip netns list | grep -qw "$(netns_of "$name")"; then
    ip netns pids "$(netns_of "$name")" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  fi
  # The engine's overlay and shm mounts, deepest first.
  awk -v d="$DATA/$name" -v r="$dir" '$2 ~ "^"d"/" || $2 ~ "^"r"/" {print $2}' /proc/mounts | sort -r |
    xargs -r -n1 umount -l 2>/dev/null || true
}

down() {
  local name
  for name in $(hosts); do
    stop_engine "$name"
    ip netns del "$(netns_of "$name")" 2>/dev/null || true
    ip link del "veth-mo-$name" 2>/dev/null || true
    rm -rf "${RUN:?}/$name" "${DATA:?}/$name"
  done
  while iptables -C "${FORWARD_RULE[@]}" 2>/dev/null; do iptables -D "${FORWARD_RULE[@]}"; done
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$RUN"; rmdir "$DATA" 2>/dev/null || true
}

up() {
  local count=${1:-2} i name ns dir
  [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 8 ] || die "up takes 1 to 8 hosts, not '$count'"
  down
  ip link add "$BRIDGE" type bridge
  ip addr add "$PREFIX.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  iptables -I "${FORWARD_RULE[@]}"
  for i in $(seq 2 $((count + 1))); do
    name=h$i ns=$(netns_of "h$i") dir=$RUN/h$i
    mkdir -p "$dir" "$DATA/$name"
    ip netns add "$ns"
    ip link add "veth-mo-$name" type veth peer name eth0 netns "$ns"
    ip link set "veth-mo-$name" master "$BRIDGE"
    ip link set "veth-mo-$name" up
    ip netns exec "$ns" sh -c "ip addr add $PREFIX.$i/24 dev eth0 && ip link set eth0 up && ip link set lo up \
      && ip route add default via $PREFIX.1"
    # nsenter, not `ip netns exec`: the latter remounts /sys and hides the cgroup mounts
    # ("Devices cgroup isn't mounted").
    # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: a Swarm worker (bench/fleet) otherwise asks a registry
    # for a task's image before each start, even when its engine has it; from a test host, with
    # no registry to reach, that waits for a timeout.
    DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nsenter --net="/var/run/netns/$ns" dockerd --data-root "$DATA/$name" --exec-root "$dir/exec" \
      -H "unix://$dir/docker.sock" --pidfile "$dir/docker.pid" --bip "172.31.$i.1/24" \
      >"$dir/dockerd.log" 2>&1 &
  done
  for name in $(hosts); do
    dir=$RUN/$name
    for _ in $(seq 1 100); do
      docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1 && break
      sleep 0.2
    done
    docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1 || { tail -5 "$dir/dockerd.log" >&2; die "the engine of $name did not start (log: $dir/dockerd.log)"; }
  done
  say "$count host(s) up on $BRIDGE ($PREFIX.1 is this machine)"
  list
}

list() {
  local name
  for name in $(hosts); do
    echo "$name $PREFIX.${name#h} unix://$RUN/$name/docker.sock /var/run/netns/$(netns_of "$name")"
  done
}

run_in() {
  local name=$1; shift
  [ -S "$RUN/$name/docker.sock" ] || die "no test host '$name' (see: $0 list)"
  DOCKER_HOST="unix://$RUN/$name/docker.sock" exec nsenter --net="/var/run/netns/$(netns_of "$name")" "$@"
}

docker_at() {
  local address=$1; shift
  [ "$address" = "$PREFIX.1" ] && exec docker "$@"
  local name=h${address#"$PREFIX".}
  [ -S "$RUN/$name/docker.sock" ] || die "no test host has the address '$address' (see: $0 list)"
  exec docker -H "unix://$RUN/$name/docker.sock" "$@"
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  down) down; say "removed" ;;
  list) list ;;
  exec) [ $# -ge 3 ] || die "usage: $0 exec NAME CMD..."; shift; run_in "$@" ;;
  docker) [ $# -ge 3 ] || die "usage: $0 docker ADDRESS ARGS..."; shift; docker_at "$@" ;;
  *) die "usage: $0 up [N] | down | list | exec NAME CMD... | docker ADDRESS ARGS..." ;;
esac
