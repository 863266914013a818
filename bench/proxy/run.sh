#!/usr/bin/env bash
# HTTP reverse proxies on one small file, all on 127.0.0.1: wrk straight to an nginx upstream,
# then through mo's HttpProxy, through nginx and through haproxy. Prints requests/s, p50, p99
# and the ratios to direct. See bench/proxy/README.md.
#
# Usage: bench/proxy/run.sh [duration=10s] [connections=32] [mo-io-threads=1]
# BENCH_ROWS="direct mo" measures only those rows (direct must be one: ratios are to it).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10s}
CONNS=${2:-32}
MO_IO=${3:-1}
UP=18080 NGINX=18081 HAPROXY=18082 MO=18083 BARE=18084
# The JVM options `bin/mo` gives `mo server` and `mo agent`, whose process runs a node's proxy:
# the benchmark measures the proxy as it runs on a node (MO_JAVA_OPTS overrides them).
NODE_JAVA_OPTS=$(sed -n 's/^ *server|agent) opts="\(.*\)" ;;$/\1/p' bin/mo)
[[ -n "$NODE_JAVA_OPTS" ]] || { echo "cannot read the server options from bin/mo" >&2; exit 1; }
MO_JAVA_OPTS=${MO_JAVA_OPTS:-$NODE_JAVA_OPTS}

# --- tools --------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
command -v wrk >/dev/null || missing+=(wrk)
if ((${#missing[@]})); then
  if [[ $EUID -eq 0 && -f /etc/debian_version ]]; then
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
  else
    echo "missing: ${missing[*]} (on Debian, as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
export PATH="$PATH:/usr/sbin"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/up/nginx.pid" ]] && kill "$(cat "$work/up/nginx.pid")" 2>/dev/null || true
  [[ -f "$work/px/nginx.pid" ]] && kill "$(cat "$work/px/nginx.pid")" 2>/dev/null || true
  [[ -f "$work/haproxy.pid" ]] && kill "$(cat "$work/haproxy.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- mo's proxy: compile and get the test classpath (no install) ----------------------------
mvn -q -B -o -pl core,agent test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null 2>&1 \
  || mvn -q -B -pl core,agent test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="agent/target/test-classes:agent/target/classes:core/target/classes:$(cat "$work/cp.txt")"

# --- upstream: nginx serving one small static file, one worker -----------------------------
mkdir -p "$work/www" "$work/up" "$work/px"
head -c 256 /dev/zero | tr '\0' 'x' > "$work/www/index.html"
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/index.html" # nginx workers run as www-data
common="worker_processes 1; daemon on; error_log stderr error;
events { worker_connections 4096; }"
temps="client_body_temp_path $work/tmp-body; proxy_temp_path $work/tmp-proxy;
  fastcgi_temp_path $work/tmp-fcgi; uwsgi_temp_path $work/tmp-uwsgi; scgi_temp_path $work/tmp-scgi;"
cat > "$work/up/nginx.conf" <<EOF
$common
pid $work/up/nginx.pid;
http { access_log off; $temps keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP; root $work/www; location / { } } }
EOF
cat > "$work/px/nginx.conf" <<EOF
$common
pid $work/px/nginx.pid;
http { access_log off; $temps keepalive_requests 1000000;
  upstream up { server 127.0.0.1:$UP; keepalive 64; }
  server { listen 127.0.0.1:$NGINX;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
EOF
cat > "$work/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY
  default_backend be
backend be
  server up 127.0.0.1:$UP
EOF
nginx -p "$work/up" -c "$work/up/nginx.conf"
nginx -p "$work/px" -c "$work/px/nginx.conf"
haproxy -f "$work/haproxy.cfg" -D -p "$work/haproxy.pid"
java $MO_JAVA_OPTS -cp "$CP" dev.mo.proxy.ProxyBenchServer $MO 127.0.0.1:$UP "$MO_IO" 300 > "$work/mo.log" 2>&1 &
pids+=($!)
MO_PID=$!
java $MO_JAVA_OPTS -cp "$CP" dev.mo.proxy.BareUndertowProxy $BARE 127.0.0.1:$UP "$MO_IO" 300 > "$work/bare.log" 2>&1 &
pids+=($!)
BARE_PID=$!

wait_port() { # bounded: 30 s
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done
  echo "nothing answers on port $1" >&2; cat "$work/mo.log" >&2; exit 1
}
for p in $UP $NGINX $HAPROXY $MO $BARE; do wait_port $p; done

# --- measure -------------------------------------------------------------------------------
# wrk prints latency percentiles as 1.23ms / 812.00us / 1.02s: convert to ms.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
# The proxy's own CPU per request (user + system time of its processes over the run, divided
# by the requests served): steadier than throughput on 2 shared cores, where wrk, the
# upstream and the proxy take turns.
proxy_pids() { # name
  case $1 in
    mo) echo "$MO_PID" ;;
    undertow) echo "$BARE_PID" ;;
    nginx) m=$(cat "$work/px/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')" ;;
    haproxy) cat "$work/haproxy.pid" ;;
    direct) m=$(cat "$work/up/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')" ;;
  esac
}
cpu_ticks() { # pids...: utime + stime, in clock ticks
  local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t
}
HZ=$(getconf CLK_TCK)
declare -A RPS P50 P99 ERR CPU
measure() { # name port
  wrk -t1 -c"$CONNS" -d3s "http://127.0.0.1:$2/" >/dev/null # warm-up (the JVM's JIT), not counted
  read -r -a watched <<<"$(proxy_pids "$1")"
  before=$(cpu_ticks "${watched[@]}")
  out="$(wrk -t1 -c"$CONNS" -d"$DURATION" --latency "http://127.0.0.1:$2/")"
  after=$(cpu_ticks "${watched[@]}")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  CPU[$1]=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$total" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  RPS[$1]=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  P50[$1]=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  P99[$1]=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  ERR[$1]=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
}
declare -A PORT=([direct]=$UP [mo]=$MO [undertow]=$BARE [nginx]=$NGINX [haproxy]=$HAPROXY)
read -r -a names <<<"${BENCH_ROWS:-direct mo undertow nginx haproxy}" # e.g. BENCH_ROWS="direct mo" to try mo's options
for n in "${names[@]}"; do measure "$n" "${PORT[$n]}"; done

echo "wrk -t1 -c$CONNS -d$DURATION --latency, 256-byte file from nginx on 127.0.0.1, $(nproc) cores"
echo "mo: $MO_IO I/O thread(s), java $MO_JAVA_OPTS; nginx: 1 worker, keepalive 64; haproxy: nbthread 1, http-reuse always"
printf '%-8s %10s %9s %9s %9s %12s %12s  %s\n' proxy req/s p50_ms p99_ms "x direct" "+p99 ms" "cpu us/req" errors
for n in "${names[@]}"; do
  awk -v n="$n" -v r="${RPS[$n]}" -v a="${P50[$n]}" -v b="${P99[$n]}" -v d="${RPS[direct]}" -v db="${P99[direct]}" -v e="${ERR[$n]}" -v c="${CPU[$n]}" \
    'BEGIN { printf "%-8s %10.0f %9.3f %9.3f %9.2f %12.3f %12s  %s\n", n, r, a, b, r/d, b-db, c, e }'
done
