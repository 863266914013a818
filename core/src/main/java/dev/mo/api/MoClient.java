package dev.mo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ApiError;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the control plane's HTTP API, used by the CLI and by remote agents.
 *
 * <p>It speaks through {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}:
 * the latter sets up TLS when it is built, even for plain http, which cost ~0.4 s of every
 * one-shot {@code mo} command here. Connections are still kept alive and reused.
 */
public final class MoClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    static {
        // HttpURLConnection silently sends a POST again when the first attempt's connection
        // breaks; an apply or a status report must reach the server once, or fail visibly.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final URI base;
    private final String token;
    private final SSLSocketFactory tls;

    /**
     * @param token the user's token, or empty for a node, which proves itself with the client
     *              certificate in {@code tls} instead
     * @param tls   whom to trust (the cluster CA) and what certificate to show; null: the JVM's default
     */
    public MoClient(String serverUrl, String token, SSLContext tls) {
        this.base = URI.create(serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl);
        this.token = token == null ? "" : token;
        this.tls = tls == null ? null : tls.getSocketFactory();
    }

    /** The TLS handshake with the server failed: it is not the server this client trusts, or it does not trust this client. */
    public static class TlsFailure extends RuntimeException {
        public TlsFailure(String message, Throwable cause) { super(message, cause); }
    }

    public URI server() { return base; }

    /** No server answers at the address (refused, unknown host, timed out). */
    public static class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) { super(message, cause); }
    }

    public boolean healthy() {
        try {
            HttpURLConnection c = open("GET", "/healthz", null, Duration.ofSeconds(2));
            int code = c.getResponseCode();
            readBody(c, code);
            return code == 200;
        } catch (SSLException e) {
            throw unreachable(e); // a server answers, but TLS with it fails: say so
        } catch (IOException e) {
            return false;
        }
    }

    /** The server's version, in Kubernetes' {@code version.Info} shape ({@link VersionInfo}). */
    public ObjectNode serverVersion() {
        return call("GET", "/version", null, Duration.ofSeconds(10));
    }

    public ObjectNode apply(List<ObjectNode> objects, boolean dryRun) {
        ObjectNode body = Json.object();
        ArrayNode arr = body.putArray("objects");
        objects.forEach(arr::add);
        return call("POST", "/api/apply" + (dryRun ? "?dryRun=true" : ""), body, Duration.ofSeconds(60));
    }

    /** Objects of a kind; namespace null means every namespace. */
    public List<ObjectNode> list(Kind kind, String namespace, String labelSelector) {
        Map<String, String> q = new LinkedHashMap<>();
        if (namespace != null) q.put("namespace", namespace);
        if (labelSelector != null) q.put("labelSelector", labelSelector);
        return items(call("GET", "/api/" + kind.plural() + query(q), null, Duration.ofSeconds(30)));
    }

    public ObjectNode get(Kind kind, String namespace, String name) {
        return call("GET", "/api/" + kind.plural() + "/" + enc(name) + query(nsOnly(namespace)), null, Duration.ofSeconds(30));
    }

    /**
     * Replaces an object ({@code PUT}) with this content; when it carries a
     * {@code metadata.resourceVersion} that is no longer current, the answer is an
     * {@link ApiError} with status 409 and nothing is written. Returns the stored object.
     */
    public ObjectNode replace(ObjectNode object) {
        Kind kind = Meta.kind(object);
        String ns = kind.namespaced() ? Meta.namespace(object) : null;
        return call("PUT", "/api/" + kind.plural() + "/" + enc(Meta.name(object)) + query(nsOnly(ns)), object,
                Duration.ofSeconds(30));
    }

    public ObjectNode delete(Kind kind, String namespace, String name) {
        return call("DELETE", "/api/" + kind.plural() + "/" + enc(name) + query(nsOnly(namespace)), null,
                Duration.ofSeconds(30));
    }

    public List<ObjectNode> events(Kind kind, String namespace, String name) {
        return items(call("GET", "/api/" + kind.plural() + "/" + enc(name) + "/events" + query(nsOnly(namespace)), null,
                Duration.ofSeconds(30)));
    }

    /** Copies a pod's logs to {@code out}; with follow it returns when the stream ends. */
    public void logs(String namespace, String pod, String container, boolean follow, Integer tailLines, OutputStream out) {
        Map<String, String> q = new LinkedHashMap<>(nsOnly(namespace));
        if (container != null) q.put("container", container);
        if (follow) q.put("follow", "true");
        if (tailLines != null) q.put("tailLines", tailLines.toString());
        try {
            HttpURLConnection c = open("GET", "/api/pods/" + enc(pod) + "/log" + query(q), null, null);
            int code = c.getResponseCode();
            if (code >= 300) throw error(code, readBody(c, code));
            try (InputStream in = c.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** One API call with a JSON answer; errors become {@link ApiError} or {@link Unreachable}. */
    public ObjectNode call(String method, String pathAndQuery, JsonNode body, Duration timeout) {
        try {
            HttpURLConnection c = open(method, pathAndQuery, body, timeout);
            int code = c.getResponseCode();
            String answer = readBody(c, code);
            if (code >= 300) throw error(code, answer);
            return Json.parse(answer);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Sends one request; {@code timeout} bounds each wait for the answer (null: no limit, for streams). */
    private HttpURLConnection open(String method, String pathAndQuery, JsonNode body, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        c.setReadTimeout(timeout == null ? 0 : (int) timeout.toMillis());
        if (c instanceof HttpsURLConnection https && tls != null) https.setSSLSocketFactory(tls); // host names are checked as usual
        if (!token.isEmpty()) c.setRequestProperty("Authorization", "Bearer " + token);
        if (body != null) {
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            c.setRequestProperty("Content-Type", "application/json");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream o = c.getOutputStream()) {
                o.write(bytes);
            }
        }
        return c;
    }

    /** The whole answer (an error's too), read to the end so that the connection can be reused. */
    private static String readBody(HttpURLConnection c, int code) throws IOException {
        InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) return "";
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private RuntimeException unreachable(IOException e) {
        if (e instanceof SSLException) {
            return new TlsFailure("TLS with the mo server at " + base + " failed: " + e.getMessage(), e);
        }
        if (e instanceof SocketTimeoutException) {
            return new Unreachable("the mo server at " + base + " did not answer in time", e);
        }
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new Unreachable("no mo server answers at " + base + " (" + why + ")", e);
    }

    /** Reads a Kubernetes {@code Status} answer back into an {@link ApiError}. */
    private static ApiError error(int code, String body) {
        try {
            ObjectNode status = Json.parse(body);
            List<String> messages = new ArrayList<>();
            for (JsonNode c : status.at("/details/causes")) messages.add(c.path("message").asText());
            if (messages.isEmpty()) messages.add(status.path("message").asText("HTTP " + code));
            return new ApiError(code, status.path("reason").asText("Unknown"), messages);
        } catch (IllegalArgumentException e) {
            return new ApiError(code, "Unknown", List.of("HTTP " + code + ": " + body));
        }
    }

    private static List<ObjectNode> items(ObjectNode list) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode i : list.path("items")) out.add((ObjectNode) i);
        return out;
    }

    private static Map<String, String> nsOnly(String namespace) {
        Map<String, String> q = new LinkedHashMap<>();
        if (namespace != null) q.put("namespace", namespace);
        return q;
    }

    private static String query(Map<String, String> q) {
        if (q.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("?");
        q.forEach((k, v) -> sb.append(sb.length() > 1 ? "&" : "").append(k).append('=').append(enc(v)));
        return sb.toString();
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
