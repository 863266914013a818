package dev.mo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ApiError;
import dev.mo.controlplane.NodeAuthorizer;
import dev.mo.controlplane.NodeService;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.security.ClusterCa;
import dev.mo.security.JoinToken;
import dev.mo.security.NodeCredentials;
import dev.mo.security.NodeIdentity;
import dev.mo.security.Pem;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The control plane's HTTP API. Routes are listed in this package's documentation. */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final Duration MAX_POLL = Duration.ofSeconds(30);

    /** How long a joined node's certificates are valid. */
    static final Duration NODE_CREDENTIAL_VALIDITY = Duration.ofDays(365);

    /**
     * The API's TLS: the context it serves with (asking clients for a certificate), the one it
     * calls agents with (its client certificate), the CA that signs joining nodes, and the
     * join token whose secret a joining agent must show.
     */
    public record Tls(SSLContext serving, SSLContext agentClient, ClusterCa ca, JoinToken joinToken) {}

    /** Who sent a request: the user (the token, every right) or a node (its certificate, a kubelet's rights). */
    record Caller(String node) {
        static final Caller USER = new Caller(null);
        boolean isUser() { return node == null; }
    }

    private final ObjectService objects;
    private final NodeService nodes;
    private final NodeAuthorizer authorizer;
    private final byte[] token;
    private final Tls tls;
    private final HttpClient agentClient;
    private Undertow server;
    private int port;

    public ApiServer(ObjectService objects, NodeService nodes, String token, Tls tls) {
        this.objects = objects;
        this.nodes = nodes;
        this.authorizer = new NodeAuthorizer(objects.store());
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.tls = tls;
        this.agentClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls.agentClient()).build();
    }

    /** Starts listening; port 0 picks a free one (see {@link #port()}). */
    public ApiServer start(String bind, int port) {
        RoutingHandler routes = new RoutingHandler()
                .get("/healthz", ex -> ex.getResponseSender().send("ok"))
                // Without a token, as Kubernetes serves /version: a client asks before it knows who it is.
                .get("/version", ex -> sendJson(ex, 200, VersionInfo.json()))
                .post("/api/join", guarded(ex -> Caller.USER, (ex, caller) -> join(ex)))
                .post("/api/apply", authed(this::apply))
                // What a node's agent calls: the user's token, or a node's certificate within its rights.
                .get("/api/node/{node}/pods", forNodes(this::podsForNode))
                .get("/api/node/config/{plural}/{namespace}/{name}", forNodes(this::configObject))
                .get("/api/node/routing", forNodes((ex, caller) -> routing(ex)))
                .get("/api/node/nodes", forNodes((ex, caller) -> sendJson(ex, 200, nodeList())))
                .post("/api/node/heartbeat", forNodes((ex, caller) -> {
                    ObjectNode node = body(ex);
                    if (!caller.isUser()) authorizer.requireSelf(caller.node(), Meta.name(node));
                    nodes.heartbeat(node);
                    sendJson(ex, 200, Json.object().put("status", "ok"));
                }))
                .post("/api/node/pod-status", forNodes(this::podStatus))
                .post("/api/node/pod-terminated", forNodes((ex, caller) -> {
                    ObjectNode b = body(ex);
                    if (podReportAllowed(caller, b)) {
                        nodes.podTerminated(b.path("namespace").asText(), b.path("name").asText(), b.path("uid").asText());
                    }
                    sendJson(ex, 200, Json.object().put("status", "ok"));
                }))
                .post("/api/node/pod-event", forNodes((ex, caller) -> {
                    ObjectNode b = body(ex);
                    if (podReportAllowed(caller, b)) {
                        nodes.recordPodEvent(b.path("namespace").asText(), b.path("name").asText(), b.path("uid").asText(),
                                b.path("type").asText(), b.path("reason").asText(), b.path("message").asText());
                    }
                    sendJson(ex, 200, Json.object().put("status", "ok"));
                }))
                .post("/api/node/metrics", forNodes((ex, caller) -> {
                    ObjectNode b = body(ex);
                    if (!caller.isUser()) authorizer.requireSelf(caller.node(), b.path("node").asText());
                    List<PodMetrics> pods = new ArrayList<>();
                    for (JsonNode p : b.path("pods")) pods.add(PodMetrics.fromJson(p));
                    nodes.reportMetrics(b.path("node").asText(), pods);
                    sendJson(ex, 200, Json.object().put("status", "ok"));
                }))
                .get("/api/metrics/pods", authed(ex -> {
                    String ns = query(ex, "namespace");
                    sendJson(ex, 200, nodes.metrics().podMetricsList(ns == null || ns.isEmpty() ? null : ns));
                }))
                .get("/api/metrics/nodes", authed(ex -> sendJson(ex, 200, nodes.metrics().nodeMetricsList())))
                .get("/api/pods/{name}/log", authed(this::logs))
                .get("/api/{plural}/{name}/events", authed(this::events))
                .get("/api/{plural}", authed(this::list))
                .get("/api/{plural}/{name}", authed(this::get))
                .put("/api/{plural}/{name}", authed(this::replace))
                .delete("/api/{plural}/{name}", authed(this::delete))
                .setFallbackHandler(ex -> sendError(ex, new ApiError(404, "NotFound",
                        List.of("the server could not find the requested resource: " + ex.getRequestPath()))));
        server = Undertow.builder()
                // TLS only; a client certificate is asked for, not required: the CLI and a joining agent have none.
                .addHttpsListener(port, bind, tls.serving())
                .setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUESTED)
                .setWorkerThreads(64) // agents hold a worker each in their long poll
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 16L * 1024 * 1024)
                .setHandler(new BlockingHandler(routes))
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return this;
    }

    public int port() { return port; }

    private interface Handler {
        void handle(HttpServerExchange ex) throws Exception;
    }

    private interface CallerHandler {
        void handle(HttpServerExchange ex, Caller caller) throws Exception;
    }

    /** For the user only: the bearer token, compared in constant time. A node gets 403. */
    private HttpHandler authed(Handler h) {
        return guarded(ex -> bearerMatches(ex) ? Caller.USER : nodeCaller(ex), (ex, caller) -> {
            if (!caller.isUser()) {
                throw ApiError.forbidden("node \"" + caller.node() + "\" is forbidden to " + ex.getRequestMethod()
                        + " " + ex.getRequestPath() + ": nodes may only run their pods and report on them");
            }
            h.handle(ex);
        });
    }

    /** For the user and for nodes: the token, or a node certificate signed by the cluster CA. */
    private HttpHandler forNodes(CallerHandler h) {
        return guarded(ex -> bearerMatches(ex) ? Caller.USER : nodeCaller(ex), h);
    }

    private boolean bearerMatches(HttpServerExchange ex) {
        String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        byte[] given = auth != null && auth.startsWith("Bearer ")
                ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return MessageDigest.isEqual(given, token);
    }

    /** The node whose certificate the TLS handshake verified, or null. */
    private static Caller nodeCaller(HttpServerExchange ex) {
        Certificate[] chain = TlsPeer.certificates(ex);
        return chain == null ? null : NodeIdentity.nodeName(chain).map(Caller::new).orElse(null);
    }

    /** Authenticates (401 when {@code authenticate} finds no caller), then runs the handler, turning errors into Status answers. */
    private HttpHandler guarded(java.util.function.Function<HttpServerExchange, Caller> authenticate, CallerHandler h) {
        return ex -> {
            Caller caller = authenticate.apply(ex);
            if (caller == null) {
                sendError(ex, new ApiError(401, "Unauthorized",
                        List.of("Unauthorized: a valid token is required (--token or MO_TOKEN)")));
                return;
            }
            try {
                h.handle(ex, caller);
            } catch (ApiError e) {
                sendError(ex, e);
            } catch (IllegalArgumentException e) {
                sendError(ex, ApiError.badRequest(e.getMessage()));
            } catch (Exception e) {
                if (ex.isResponseStarted() || ex.isComplete()) {
                    // The exchange was ended under us: the server is stopping or the client went away.
                    log.debug("API {} {} ended before its answer: {}", ex.getRequestMethod(), ex.getRequestPath(), e.toString());
                    return;
                }
                log.error("API {} {} failed", ex.getRequestMethod(), ex.getRequestPath(), e);
                sendError(ex, new ApiError(500, "InternalError", List.of("internal error: " + e)));
            }
        };
    }

    /** A node may report only for a pod bound to it; a pod that is gone is ignored (false), as before. */
    private boolean podReportAllowed(Caller caller, ObjectNode b) {
        if (caller.isUser()) return true;
        return authorizer.requirePodOnNode(caller.node(), b.path("namespace").asText(), b.path("name").asText()).isPresent();
    }

    /**
     * {@code POST /api/join}: an agent that shows the join token's secret gets certificates
     * for its node, signed by the cluster CA, for the two PKCS#10 requests it sent (one for
     * the client key it calls the API with, one for its own HTTPS endpoint).
     */
    private void join(HttpServerExchange ex) throws IOException {
        ObjectNode b = body(ex);
        if (!tls.joinToken().secretMatches(b.path("secret").asText(""))) {
            log.warn("join refused from {}: wrong join token", ex.getSourceAddress());
            throw new ApiError(401, "Unauthorized", List.of("Unauthorized: wrong join token"));
        }
        String node = b.path("node").asText("");
        List<String> sans = new ArrayList<>();
        b.path("servingSans").forEach(n -> sans.add(n.asText()));
        NodeCredentials issued = tls.ca().signNode(node, b.path("clientCsr").asText(""), b.path("servingCsr").asText(""),
                sans, NODE_CREDENTIAL_VALIDITY);
        log.info("node {} joined from {}", node, ex.getSourceAddress());
        sendJson(ex, 200, Json.object()
                .put("clientCertificate", Pem.certificate(issued.clientCertificate()))
                .put("servingCertificate", Pem.certificate(issued.servingCertificate()))
                .put("caCertificate", Pem.certificate(issued.caCertificate())));
    }

    private ObjectNode nodeList() {
        ObjectNode list = Json.object();
        list.put("apiVersion", "v1");
        list.put("kind", "NodeList");
        objects.store().list(Kind.NODE, null).forEach(list.putArray("items")::add);
        return list;
    }

    private void apply(HttpServerExchange ex) throws IOException {
        ObjectNode b = body(ex);
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode o : b.path("objects")) {
            if (!(o instanceof ObjectNode on)) throw ApiError.badRequest("every item in objects must be a JSON object");
            items.add(on);
        }
        boolean dryRun = "true".equals(query(ex, "dryRun"));
        ObjectService.ApplyResult r = objects.apply(items, dryRun);
        ObjectNode out = Json.object();
        ArrayNode results = out.putArray("results");
        for (ObjectService.Applied a : r.results()) {
            ObjectNode item = results.addObject();
            item.put("kind", a.kind().kindName());
            item.put("plural", a.kind().plural());
            if (a.namespace() != null) item.put("namespace", a.namespace());
            item.put("name", a.name());
            item.put("action", a.action());
        }
        ArrayNode warnings = out.putArray("warnings");
        r.warnings().forEach(warnings::add);
        sendJson(ex, 200, out);
    }

    private Kind kind(HttpServerExchange ex) {
        String plural = param(ex, "plural");
        return Kind.byCliName(plural).orElseThrow(() -> ApiError.notFound(
                "the server doesn't have a resource type \"" + plural + "\""));
    }

    /** The namespace to act in: the query's, or "default" for namespaced kinds. */
    private static String namespace(HttpServerExchange ex, Kind kind) {
        if (!kind.namespaced()) return null;
        String ns = query(ex, "namespace");
        return ns == null || ns.isEmpty() ? ObjectService.DEFAULT_NAMESPACE : ns;
    }

    private void list(HttpServerExchange ex) throws IOException {
        Kind kind = kind(ex);
        String ns = query(ex, "namespace");
        LabelSelector selector = LabelSelector.parse(query(ex, "labelSelector"));
        List<ObjectNode> items = objects.list(kind, kind.namespaced() && ns != null && !ns.isEmpty() ? ns : null, selector);
        ObjectNode list = Json.object();
        list.put("apiVersion", kind.preferredApiVersion());
        list.put("kind", kind.kindName() + "List");
        list.putObject("metadata").put("resourceVersion", Long.toString(objects.store().revision()));
        ArrayNode arr = list.putArray("items");
        items.forEach(arr::add);
        sendJson(ex, 200, list);
    }

    private void get(HttpServerExchange ex) throws IOException {
        Kind kind = kind(ex);
        sendJson(ex, 200, objects.require(kind, namespace(ex, kind), param(ex, "name")));
    }

    /** {@code PUT}: replaces the object, refusing (409) a body with a stale resourceVersion. */
    private void replace(HttpServerExchange ex) throws IOException {
        Kind kind = kind(ex);
        sendJson(ex, 200, objects.replace(kind, namespace(ex, kind), param(ex, "name"), body(ex)));
    }

    private void delete(HttpServerExchange ex) throws IOException {
        Kind kind = kind(ex);
        sendJson(ex, 200, objects.delete(kind, namespace(ex, kind), param(ex, "name")));
    }

    private void events(HttpServerExchange ex) throws IOException {
        Kind kind = kind(ex);
        ObjectNode obj = objects.require(kind, namespace(ex, kind), param(ex, "name"));
        ObjectNode list = Json.object();
        list.put("apiVersion", "v1");
        list.put("kind", "EventList");
        ArrayNode arr = list.putArray("items");
        objects.events().eventsFor(obj).forEach(arr::add);
        sendJson(ex, 200, list);
    }

    private void podsForNode(HttpServerExchange ex, Caller caller) throws IOException {
        if (!caller.isUser()) authorizer.requireSelf(caller.node(), param(ex, "node"));
        long since = Long.parseLong(orDefault(query(ex, "since"), "-1"));
        Duration wait = Duration.ofSeconds(Long.parseLong(orDefault(query(ex, "waitSeconds"), "0")));
        if (wait.compareTo(MAX_POLL) > 0) wait = MAX_POLL;
        NodeService.PodsForNode answer = nodes.podsForNode(param(ex, "node"), since, wait);
        ObjectNode out = Json.object();
        out.put("revision", answer.revision());
        ArrayNode arr = out.putArray("items");
        answer.pods().forEach(arr::add);
        sendJson(ex, 200, out);
    }

    private void routing(HttpServerExchange ex) throws IOException {
        long since = Long.parseLong(orDefault(query(ex, "since"), "-1"));
        Duration wait = Duration.ofSeconds(Long.parseLong(orDefault(query(ex, "waitSeconds"), "0")));
        if (wait.compareTo(MAX_POLL) > 0) wait = MAX_POLL;
        NodeService.Routing answer = nodes.routing(since, wait);
        ObjectNode out = Json.object();
        out.put("revision", answer.revision());
        answer.services().forEach(out.putArray("services")::add);
        answer.endpoints().forEach(out.putArray("endpoints")::add);
        answer.ingresses().forEach(out.putArray("ingresses")::add);
        sendJson(ex, 200, out);
    }

    private void configObject(HttpServerExchange ex, Caller caller) throws IOException {
        if (!caller.isUser()) {
            authorizer.requireUsedByPodOnNode(caller.node(), param(ex, "plural"), param(ex, "namespace"), param(ex, "name"));
        }
        ObjectNode o = nodes.getConfigObject(param(ex, "plural"), param(ex, "namespace"), param(ex, "name"));
        if (o == null) {
            throw ApiError.notFound(param(ex, "plural") + " \"" + param(ex, "name") + "\" not found");
        }
        sendJson(ex, 200, o);
    }

    private void podStatus(HttpServerExchange ex, Caller caller) throws IOException {
        ObjectNode b = body(ex);
        if (!podReportAllowed(caller, b)) {
            sendJson(ex, 200, Json.object().put("status", "ok"));
            return;
        }
        Map<String, String> hostPorts = new HashMap<>();
        b.path("hostPorts").fields().forEachRemaining(e -> hostPorts.put(e.getKey(), e.getValue().asText()));
        nodes.reportPodStatus(b.path("namespace").asText(), b.path("name").asText(), b.path("uid").asText(),
                (ObjectNode) b.get("status"), hostPorts);
        sendJson(ex, 200, Json.object().put("status", "ok"));
    }

    /** Streams a pod's logs from the agent on its node ({@code mo logs}). */
    private void logs(HttpServerExchange ex) throws Exception {
        String ns = orDefault(query(ex, "namespace"), ObjectService.DEFAULT_NAMESPACE);
        ObjectNode pod = objects.require(Kind.POD, ns, param(ex, "name"));
        String nodeName = Json.text(pod, "spec.nodeName");
        if (nodeName == null) throw ApiError.badRequest("pod " + Meta.name(pod) + " is not on a node yet");
        ObjectNode node = objects.require(Kind.NODE, null, nodeName);
        String agentUrl = Meta.annotations(node).get("mo.dev/agent-url");
        if (agentUrl == null) throw ApiError.badRequest("node " + nodeName + " publishes no agent address");
        StringBuilder q = new StringBuilder("namespace=").append(enc(ns)).append("&pod=").append(enc(Meta.name(pod)));
        for (String p : List.of("container", "follow", "tailLines", "previous")) {
            String v = query(ex, p);
            if (v != null) q.append('&').append(p).append('=').append(enc(v));
        }
        // The agent knows the server by its client certificate (agentClient's TLS context).
        HttpRequest req = HttpRequest.newBuilder(URI.create(agentUrl + "/logs?" + q)).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = agentClient.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiError(502, "ServiceUnavailable", List.of("the agent on node " + nodeName
                    + " does not answer at " + agentUrl + ": " + e.getMessage()));
        }
        ex.setStatusCode(resp.statusCode());
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.startBlocking();
        try (InputStream in = resp.body(); OutputStream out = ex.getOutputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static ObjectNode body(HttpServerExchange ex) throws IOException {
        ex.startBlocking();
        String text = new String(ex.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return Json.parse(text.isEmpty() ? "{}" : text);
    }

    private static String param(HttpServerExchange ex, String name) {
        Deque<String> v = ex.getQueryParameters().get(name);
        return v == null ? null : v.getFirst();
    }

    private static String query(HttpServerExchange ex, String name) { return param(ex, name); }

    private static String orDefault(String v, String d) { return v == null || v.isEmpty() ? d : v; }

    static void sendJson(HttpServerExchange ex, int status, JsonNode body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(Json.write(body));
    }

    /** Errors in Kubernetes' {@code Status} shape; each message is also a cause. */
    static void sendError(HttpServerExchange ex, ApiError e) {
        ObjectNode status = Json.object();
        status.put("apiVersion", "v1");
        status.put("kind", "Status");
        status.put("status", "Failure");
        status.put("message", e.getMessage());
        status.put("reason", e.reason());
        status.put("code", e.status());
        ArrayNode causes = status.putObject("details").putArray("causes");
        e.messages().forEach(m -> causes.addObject().put("message", m));
        if (ex.isResponseStarted()) return;
        ex.getResponseHeaders().put(new HttpString("Content-Type"), "application/json");
        ex.setStatusCode(e.status());
        ex.getResponseSender().send(Json.write(status));
    }

    @Override
    public void close() {
        if (server != null) server.stop();
    }
}
