/**
 * How a container finds a Service: by name and by environment, as in Kubernetes.
 *
 * <pre>
 *   Service web in shop, clusterIP 10.96.0.12, port 80
 *     ├─ ServiceAddresses: 10.96.0.12 is put on this host (dummy interface mo0), and the node's
 *     │                    TCP proxy listens on 10.96.0.12:80, forwarding to ready endpoints
 *     ├─ HostsFile:        every pod's /etc/hosts says
 *     │                    "10.96.0.12  web.shop web.shop.svc.cluster.local" (+ "web" in shop),
 *     │                    rewritten in place when Services change (Kubernetes uses DNS for this)
 *     └─ ServiceEnv:       WEB_SERVICE_HOST=10.96.0.12, WEB_SERVICE_PORT=80, ... for pods of shop
 *                          started after the Service (as Kubernetes: set once, at container start)
 *
 *   Headless Service db (clusterIP None), pods db-0, db-1 (a StatefulSet's)
 *     each pod has an address of its own from 10.244.0.0/16 (PodAddresses, chosen by the control
 *     plane and recorded on the Endpoints), served like a cluster IP but forwarding to that pod only:
 *     "10.244.31.7  db-0.db db-0.db.shop db-0.db.shop.svc.cluster.local" and "10.244.31.7  db db.shop ..."
 * </pre>
 *
 * A container's traffic to 10.96.0.12 leaves it through its Docker bridge's gateway, which is
 * this host; the host owns the address, so the packet is delivered to the proxy's socket.
 * This is kube-proxy's first ("userspace") mode, with a hosts file where Kubernetes has DNS.
 */
package dev.mo.agent.discovery;
