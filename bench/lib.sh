# What the side-by-side benchmarks (bench/swarm, bench/fleet) share: timing helpers and the
# web app they run on mo. Sourced, not run.

now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Polls "$@" every WAIT_POLL seconds (default 0.05) until it succeeds; gives up after WAIT_LIMIT
# seconds (default 120: the round then fails).
wait_until() {
  local deadline=$(( $(now_ms) + ${WAIT_LIMIT:-120} * 1000 ))
  until "$@"; do
    if [ "$(now_ms)" -gt $deadline ]; then echo "error: timed out waiting for: $*" >&2; return 1; fi
    sleep "${WAIT_POLL:-0.05}"
  done
}

# "warm-up" for round 0, else "round N" (the caller's $r).
round_name() { if [ "$r" = 0 ]; then echo "warm-up"; else echo "round $r"; fi; }

# The table of medians: ROUNDS, then the metrics, each kept in arrays mo_METRIC and sw_METRIC (ms).
print_medians() {
  local rounds=$1 m a b ma mb; shift
  printf '%-28s %8s %8s %8s\n' "median of $rounds rounds" mo swarm mo/swarm
  for m in "$@"; do
    a=mo_$m[@]; b=sw_$m[@]
    ma=$(median "${!a}"); mb=$(median "${!b}")
    printf '%-28s %7ss %7ss %8s\n' "$m" "$(secs $ma)" "$(secs $mb)" "$(ratio $ma $mb)"
  done
}

# Writes DIR/base.yaml (namespace NS, Service and Ingress NAME on port 80 -> 8080) and
# DIR/deploy.yaml (Deployment NAME of REPLICAS mo-example/hello:v1 pods, readiness every 1 s,
# one at a time, the new one first): the app both benchmarks run on mo.
write_web_manifests() {
  local dir=$1 ns=$2 name=$3 replicas=$4
  cat >"$dir/base.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $ns}
---
apiVersion: v1
kind: Service
metadata: {name: $name, namespace: $ns}
spec:
  selector: {app: $name}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: $name, namespace: $ns}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: $name, port: {number: 80}}}
YAML
  cat >"$dir/deploy.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $name, namespace: $ns}
spec:
  replicas: $replicas
  selector: {matchLabels: {app: $name}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: $name}}
    spec:
      containers:
        - name: web
          image: mo-example/hello:v1
          ports: [{containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
            periodSeconds: 1
YAML
}
