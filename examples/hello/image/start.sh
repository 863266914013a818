#!/bin/sh
# Serves / (which names the version and the pod) and /healthz on port 8080.
mkdir -p /www
echo "hello from ${HOSTNAME} (${VERSION})" > /www/index.html
echo ok > /www/healthz
echo "hello ${VERSION} starting on ${HOSTNAME}, GREETING=${GREETING:-none}"
exec httpd -f -v -p 8080 -h /www
