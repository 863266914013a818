#!/bin/sh
# busybox httpd as PID 1 would ignore SIGTERM (PID 1 has no default signal actions) and be
# killed only when the grace period ends; this shell stops it at once instead.
httpd -f -p 3000 -h /www &
pid=$!
echo "feastflow-frontend serving /www on port 3000"
trap 'echo "SIGTERM: stopping"; kill "$pid"; wait "$pid"; exit 0' TERM INT
wait "$pid"
