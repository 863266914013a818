/**
 * The node's proxies: where Ingress, NodePort, LoadBalancer and ClusterIP traffic enters the pods.
 *
 * <p><b>Routing is a pure computation.</b> {@link dev.mo.proxy.RoutingTable#build} reads Services,
 * Endpoints and Ingresses (Kubernetes' own JSON) once and answers two questions without any I/O:
 * {@link dev.mo.proxy.RoutingTable#route} (which {@link dev.mo.proxy.Route} an HTTP request takes,
 * by Kubernetes' Ingress rules) and {@link dev.mo.proxy.RoutingTable#listeners} (which TCP
 * {@link dev.mo.proxy.Listener}s this node opens). Both already carry the ready backends
 * ({@code ip:hostPort}; {@code notReadyAddresses} never get traffic). Whoever watches the API
 * builds a new table on every change and hands it to the proxies, which swap it in atomically.
 *
 * <p><b>{@link dev.mo.proxy.HttpProxy}</b> serves Ingress traffic. It is Undertow's
 * {@code ProxyHandler} (which already forwards headers, streams bodies both ways, sets
 * X-Forwarded-*) driven by our own {@code ProxyClient} instead of Undertow's
 * {@code LoadBalancingProxyClient}. Why:
 * <ul>
 * <li>Correct retries. We choose the next backend ourselves: each request walks its route's
 *     backends once, round robin from its turn; a failed connect moves on (for any method:
 *     nothing was sent), and so does a GET or HEAD whose connection failed before any response
 *     byte. A pooled connection that fails is retried once on a fresh connection to the same
 *     backend first: that is how a backend that closed an idle keep-alive looks, and with a
 *     single backend it is the only way not to fail the request. LoadBalancingProxyClient
 *     instead keeps a host list that must be mirrored by {@code addHost}/{@code removeHost}, and
 *     marks failed hosts as "problem servers" for a fixed time.</li>
 * <li>No queueing for connections, for a low p99. Our pool never queues: a request with no idle
 *     connection opens one, and up to {@link dev.mo.proxy.ProxyOptions#maxIdlePerBackend} are kept
 *     per backend and I/O thread (LoadBalancingProxyClient caps connections per thread, 10 by
 *     default, and beyond that queues or refuses). Everything runs on the I/O thread that accepted
 *     the request; no dispatch to worker threads. Measured in {@code bench/proxy/README.md}: our
 *     layer costs little next to ProxyHandler itself, which is the limit on a 2-core node.</li>
 * <li>Clear errors. Routing happens in our handler before ProxyHandler: no route is a 404 naming
 *     host and path, a route without ready endpoints a 503 naming the Service port, a declared
 *     body over the limit a 413. ProxyHandler ends failures with a bare 503 or 500; a default
 *     response listener turns those into 502 (with the backends tried) and our own response
 *     timer's into 504.</li>
 * <li>The response timeout bounds the wait for the response to start, not the whole exchange
 *     (ProxyHandler's maxRequestTime would cut long downloads). When it fires we abort the
 *     upstream socket, which fails the request at once; it is not retried.</li>
 * </ul>
 * Hop-by-hop headers are removed both ways: from the request by ProxyHandler's header rules
 * (a value of "" deletes), from the response by a conduit wrapper that runs before Undertow
 * decides the response's own Connection and Transfer-Encoding.
 *
 * <p><b>{@link dev.mo.proxy.TcpProxy}</b> serves the TCP listeners with blocking sockets: an
 * accept thread per socket, two pool threads per connection. See its documentation.
 *
 * <p>Not done: WebSocket and other Upgrade requests (Upgrade is hop-by-hop and stripped), HTTPS
 * (Ingress {@code tls}), HTTP/2 to the client, UDP Services, active health checks (readiness comes
 * from Endpoints), and a 413 for chunked bodies (they are cut off at the limit instead).
 */
package dev.mo.proxy;
