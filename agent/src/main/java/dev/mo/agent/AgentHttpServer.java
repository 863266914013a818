package dev.mo.agent;

import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerRuntime;
import io.undertow.Handlers;
import dev.mo.api.TlsPeer;
import dev.mo.security.NodeIdentity;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The agent's own small HTTPS endpoint, which the control plane calls (it finds the URL in the Node
 * annotation {@code mo.dev/agent-url}):
 * <ul>
 *   <li>{@code GET /logs?namespace=&pod=&container=&tailLines=&follow=&previous=} : the container's stdout and stderr as text/plain,
 *       streamed while {@code follow=true}. 401 without the token, 404 when the pod has no such
 *       container on this node, 400 when a multi-container pod's container is not named.
 *   <li>{@code GET /images?name=IMAGE} with the same token: the image as a {@code docker save}
 *       archive, for another node whose engine lacks it (see {@code ImageFetcher}); 404 when
 *       this engine does not have it.
 *   <li>{@code GET /healthz}: {@code ok}, no token needed.
 * </ul>
 * Over TLS (always, from {@code mo agent} and {@code mo server}) callers are known by their
 * certificates: logs go to the server only, images to the server and to nodes. An agent bound
 * to a control plane in memory (tests) speaks plain HTTP and checks a bearer token instead; an
 * empty token turns that check off.
 */
public final class AgentHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);

    private final ContainerRuntime runtime;
    private final String nodeName;
    private final String token;
    private final boolean tls;
    private final Undertow server;
    private final String url;

    private AgentHttpServer(ContainerRuntime runtime, String nodeName, String address, int port, String token, SSLContext tls) {
        this.runtime = runtime;
        this.nodeName = nodeName;
        this.token = token == null ? "" : token;
        this.tls = tls != null;
        Undertow.Builder builder = Undertow.builder();
        if (tls != null) {
            // Every caller shows a certificate of the cluster CA: the server's (logs) or a node's (images).
            builder.addHttpsListener(port, address, tls).setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED);
        } else {
            builder.addHttpListener(port, address);
        }
        this.server = builder
                .setHandler(Handlers.path()
                        .addExactPath("/logs", blocking(this::logs))
                        .addExactPath("/images", blocking(this::image))
                        .addExactPath("/healthz", exchange -> text(exchange, 200, "ok")))
                .build();
        server.start();
        int actualPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        this.url = (tls != null ? "https://" : "http://") + (address.contains(":") ? "[" + address + "]" : address) + ":" + actualPort;
        log.info("agent HTTP endpoint for node {} listening on {}", nodeName, url);
    }

    /**
     * Starts listening on {@code address:port} (0 = a free port): over TLS with {@code tls} (the
     * node's serving certificate), or, with null, plain HTTP checking {@code token} (in-memory tests).
     */
    public static AgentHttpServer start(ContainerRuntime runtime, String nodeName, String address, int port, String token,
                                        SSLContext tls) {
        return new AgentHttpServer(runtime, nodeName, address, port, token, tls);
    }

    /** {@code http://ADDR:PORT}, with the port actually bound. */
    public String url() { return url; }

    private interface BlockingHandler {
        void handle(HttpServerExchange exchange) throws Exception;
    }

    /** Log streaming blocks on the engine: move off Undertow's I/O thread first. */
    private static HttpHandler blocking(BlockingHandler h) {
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(this);
                    return;
                }
                exchange.startBlocking();
                h.handle(exchange);
            }
        };
    }

    /**
     * A GET from a caller allowed here, or an answer (405, 401, 403) saying why not. Over TLS
     * the caller is known by its certificate: the server may call every path, another node
     * only {@code /images} ({@code nodesToo}). Over plain HTTP, by the token.
     */
    private boolean admitted(HttpServerExchange ex, boolean nodesToo) {
        if (!Methods.GET.equals(ex.getRequestMethod())) {
            text(ex, 405, "only GET is supported");
            return false;
        }
        if (tls) {
            Certificate[] chain = TlsPeer.certificates(ex);
            if (NodeIdentity.isServer(chain) || nodesToo && NodeIdentity.nodeName(chain).isPresent()) return true;
            text(ex, 403, "forbidden: this endpoint serves " + (nodesToo ? "the mo server and nodes" : "the mo server") + " only");
            return false;
        }
        if (!authorized(ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
            ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
            text(ex, 401, "missing or wrong bearer token");
            return false;
        }
        return true;
    }

    private void image(HttpServerExchange ex) throws IOException {
        if (!admitted(ex, true)) return;
        String name = param(ex, "name", null);
        if (name == null) {
            text(ex, 400, "query parameter name is required");
            return;
        }
        if (runtime.imageId(name).isEmpty()) {
            text(ex, 404, "image " + name + " not found on node " + nodeName);
            return;
        }
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-tar");
        log.info("sending image {} to {}", name, ex.getSourceAddress());
        try {
            runtime.saveImage(name, ex.getOutputStream());
        } catch (IOException e) {
            log.warn("sending image {} to {} ended: {}", name, ex.getSourceAddress(), e.toString());
        }
        ex.endExchange();
    }

    private void logs(HttpServerExchange ex) throws IOException {
        if (!admitted(ex, false)) return;
        String namespace = param(ex, "namespace", "default");
        String pod = param(ex, "pod", null);
        if (pod == null) {
            text(ex, 400, "query parameter pod is required");
            return;
        }
        String container = param(ex, "container", null);
        boolean follow = Boolean.parseBoolean(param(ex, "follow", "false"));
        boolean previous = Boolean.parseBoolean(param(ex, "previous", "false"));
        int tail;
        try {
            tail = Integer.parseInt(param(ex, "tailLines", "-1"));
        } catch (NumberFormatException e) {
            text(ex, 400, "tailLines must be a number");
            return;
        }

        Map<String, String> labels = new LinkedHashMap<>(Labels.managedOn(nodeName));
        labels.put(Labels.NAMESPACE, namespace);
        labels.put(Labels.POD, pod);
        List<ContainerInfo> all = runtime.list(labels);
        if (container == null) {
            TreeSet<String> names = new TreeSet<>();
            all.forEach(c -> names.add(c.label(Labels.CONTAINER)));
            if (names.size() > 1) {
                text(ex, 400, "a container name must be specified for pod " + pod + ", choose one of: "
                        + names.toString().replace(",", ""));
                return;
            }
            container = names.isEmpty() ? null : names.first();
        }
        String wanted = container;
        // Newest run first: the current container, then the one it replaced (--previous).
        List<ContainerInfo> runs = all.stream()
                .filter(c -> wanted != null && wanted.equals(c.label(Labels.CONTAINER)))
                .sorted(Comparator.comparing(ContainerInfo::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparingInt(Labels::restartCount).reversed())
                .toList();
        int index = previous ? 1 : 0;
        if (runs.size() <= index) {
            String what = previous ? "previous terminated container" : "container";
            text(ex, 404, what + " \"" + (wanted == null ? "" : wanted) + "\" in pod \"" + pod + "\" (namespace \""
                    + namespace + "\") not found on node " + nodeName);
            return;
        }
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        OutputStream out = ex.getOutputStream();
        try {
            runtime.logs(runs.get(index).id(), new ContainerRuntime.LogOptions(tail, follow), out);
        } catch (IOException e) {
            log.debug("log stream of {}/{} ended: {}", namespace, pod, e.toString()); // usually the reader hung up
        }
        ex.endExchange();
    }

    /** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
    private boolean authorized(String header) {
        if (token.isEmpty()) return true;
        if (header == null) return false;
        return MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
    }

    private static String param(HttpServerExchange ex, String name, String fallback) {
        Deque<String> values = ex.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.peekFirst().isEmpty() ? fallback : values.peekFirst();
    }

    private static void text(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseSender().send(body + "\n");
    }

    @Override
    public void close() {
        server.stop();
    }
}
