/**
 * The HTTP API (Undertow, JSON) and its clients. One API serves the CLI (apply, get,
 * replace, delete, logs) and the node agents (heartbeat, pods for a node, pod status, events).
 * Every call but {@code /healthz} needs the cluster token as {@code Authorization: Bearer}.
 *
 * <pre>
 *   GET    /healthz                                    no token
 *   POST   /api/apply[?dryRun=true]                    {"objects":[...]} → created / configured / unchanged
 *   GET    /api/{plural}[?namespace=][&labelSelector=]  a List (no namespace: every namespace)
 *   GET    /api/{plural}/{name}?namespace=
 *   PUT    /api/{plural}/{name}?namespace=          replace (apply's rules); stale metadata.resourceVersion → 409 Conflict
 *   DELETE /api/{plural}/{name}?namespace=
 *   GET    /api/{plural}/{name}/events?namespace=      the events about one object
 *   GET    /api/pods/{name}/log?namespace=&container=&follow=&tailLines=   proxied to the pod's agent
 *   POST   /api/node/heartbeat                         agents: their Node object
 *   GET    /api/node/{node}/pods?since=&waitSeconds=   agents: long poll for their pods
 *   GET    /api/node/config/{plural}/{namespace}/{name}
 *   GET    /api/node/routing?since=&waitSeconds=       agents: Services, Endpoints, Ingresses (long poll)
 *   POST   /api/node/pod-status | pod-terminated | pod-event
 *   POST   /api/node/metrics                           agents: {"node":..,"pods":[PodMetrics]} every 5 s
 *   GET    /api/metrics/pods[?namespace=]              metrics.k8s.io PodMetricsList (latest, in memory)
 *   GET    /api/metrics/nodes                          metrics.k8s.io NodeMetricsList (sum of each node's pods)
 * </pre>
 */
package dev.mo.api;
