#!/bin/sh
# Serves / (which names the version and the pod), /healthz (for liveness) and /ready (for
# readiness) on port 8080. Tests make a probe fail by removing its file.
# As PID 1 in its container, httpd would ignore SIGTERM and wait for the SIGKILL that
# follows the grace period; this shell stops it on SIGTERM instead, as a well-behaved
# service does.
mkdir -p /www
# GREETING comes from the ConfigMap: a config change shows once the pod restarts.
echo "hello from ${HOSTNAME} (${VERSION}) ${GREETING:-}" > /www/index.html
echo ok > /www/healthz
echo ok > /www/ready
echo "hello ${VERSION} starting on ${HOSTNAME}, GREETING=${GREETING:-none}"
httpd -f -v -p 8080 -h /www &
pid=$!
trap 'echo "SIGTERM: stopping"; kill $pid; wait $pid; exit 0' TERM
wait $pid
