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
 * <p><b>{@link dev.mo.proxy.HttpProxy}</b> serves Ingress traffic: an HTTP/1.1 reverse proxy
 * written on plain NIO, one selector thread per I/O thread ({@link dev.mo.proxy.ProxyLoop}).
 * Each client connection is a {@link dev.mo.proxy.ProxiedExchange}: read a request head
 * ({@link dev.mo.proxy.HttpHead}), route it, take a keep-alive connection to the chosen backend
 * from the loop's pool (or open one), send the rewritten head, pass the body on, then the
 * response back, and wait for the next request. Bodies are never decoded or buffered whole:
 * {@link dev.mo.proxy.MessageBody} only finds where each ends (Content-Length, chunked, or the
 * connection's close), so chunked bodies pass as they came and a slow client slows its backend
 * down instead of filling memory.
 * <ul>
 * <li>Why not a library's proxy. mo used Undertow's {@code ProxyHandler} before; it cost ~20 µs
 *     of CPU per request on a 2-core node and added 0.9-1.4 ms at p99 against nginx's 17 µs
 *     and 0.5-0.7 ms (bench/proxy/README.md). This forwarder parses each head once, keeps
 *     read interest on (no epoll_ctl per request) and allocates little, and is level with
 *     nginx. It is also the clearest way to show what a reverse proxy does.</li>
 * <li>Retries. Each request walks its route's backends once, round robin from its turn; a
 *     failed connect moves on (for any method: nothing was sent), and so does a GET or HEAD
 *     without a body whose connection failed before any response byte. A pooled connection
 *     that fails is retried once on a fresh connection to the same backend first: that is how
 *     a backend that closed an idle keep-alive looks, and with a single backend it is the only
 *     way not to fail the request.</li>
 * <li>A lost host. Until its node is NotReady, the Endpoints still list a dead or cut-off
 *     host's pods, and a request sent there on an open connection would wait out the response
 *     timeout. So a backend that has sent no response byte for a second gets a
 *     {@link dev.mo.proxy.BackendCheck} (a new TCP connection, nothing sent): a slow backend
 *     takes it at once and keeps the request; one that does not is treated as a failed
 *     connection, and the GET goes to another backend. Backends that failed a check or a
 *     connect are tried last for 10 s; when the connect got no answer at all (a timeout, not a
 *     refusal), so is every backend on the same host, since the whole host is silent.</li>
 * <li>No queueing for connections: a request with no idle connection opens one, and up to
 *     {@link dev.mo.proxy.ProxyOptions#maxIdlePerBackend} are kept per backend and I/O thread.</li>
 * <li>Clear errors: no route is a 404 naming host and path, a route without ready endpoints a
 *     503 naming the Service port, a declared body over the limit a 413, no backend reachable a
 *     502 naming those tried, no response head in time a 504; a malformed request is a 400, a
 *     head over 64 KiB a 431. The response timeout bounds the wait for the response to start,
 *     never a download in progress. A client gets 60 s to send a request head (then 408, or a
 *     quiet close of an idle keep-alive) and is let go when it takes no byte of a response for
 *     60 s ({@link dev.mo.proxy.ProxyOptions#clientTimeout}).</li>
 * <li>Headers: hop-by-hop headers are removed both ways (with those the Connection header
 *     names); X-Forwarded-For is appended to, X-Forwarded-Proto is always {@code http},
 *     X-Forwarded-Host and -Port are set. Backends are spoken to in HTTP/1.1 (an HTTP/1.0
 *     client gets a chunked response's content without the framing, and a close).</li>
 * <li>A request with both Content-Length and Transfer-Encoding, or with a Transfer-Encoding
 *     not ending in chunked, is refused (400): a proxy and a backend that frame a request
 *     differently is how requests are smuggled.</li>
 * </ul>
 *
 * <p><b>{@link dev.mo.proxy.TcpProxy}</b> serves the TCP listeners with blocking sockets: an
 * accept thread per socket, two pool threads per connection. See its documentation.
 *
 * <p>Not done: WebSocket and other Upgrade requests (Upgrade is hop-by-hop and stripped), HTTPS
 * (Ingress {@code tls}), HTTP/2 to the client, UDP Services, active health checks (readiness comes
 * from Endpoints), and path normalisation ({@code /app/../x} is routed by its text, as it came).
 * A chunked request body learns it is too large only on the way: the backend has had the part
 * below the limit when the client gets its 413 and both connections close.
 */
package dev.mo.proxy;
