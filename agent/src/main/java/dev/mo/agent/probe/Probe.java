package dev.mo.agent.probe;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe of a container, read from its spec with Kubernetes' defaults (a field that is absent
 * or 0 takes its default, except {@code initialDelaySeconds}, whose default is 0).
 *
 * @param type             liveness, readiness or startup
 * @param handler          what to run: an HTTP GET, a TCP connect, a command, or gRPC (not supported)
 * @param initialDelay     after the container started, wait this long before the first probe (0)
 * @param period           time between probes (10 s)
 * @param timeout          how long one probe may take (1 s)
 * @param successThreshold consecutive successes to count as success (1; always 1 for liveness and startup)
 * @param failureThreshold consecutive failures to count as failure (3)
 * @param terminationGracePeriodSeconds grace period when this probe kills the container; null = the pod's
 */
public record Probe(ProbeType type, Handler handler, Duration initialDelay, Duration period, Duration timeout,
                    int successThreshold, int failureThreshold, Integer terminationGracePeriodSeconds) {

    /** What a probe runs. */
    public sealed interface Handler {}

    /** {@code httpGet}: {@code port} is a number or a container port name; {@code host} null = the container's IP. */
    public record HttpGet(String path, String port, String host, String scheme, List<Header> headers) implements Handler {}

    /** One of {@code httpGet.httpHeaders}. */
    public record Header(String name, String value) {}

    /** {@code tcpSocket}: {@code port} is a number or a container port name. */
    public record TcpSocket(String port, String host) implements Handler {}

    /** {@code exec}: a command run inside the container; exit 0 passes. */
    public record Exec(List<String> command) implements Handler {}

    /** {@code grpc}: read, but mo's prober does not speak gRPC. */
    public record Grpc(int port, String service) implements Handler {}

    /** No handler in the spec (the validator rejects this; kept so the agent never crashes on it). */
    public record Missing() implements Handler {}

    /** The probes a container declares, in the order startup, liveness, readiness. */
    public static List<Probe> of(JsonNode containerSpec) {
        List<Probe> probes = new ArrayList<>();
        for (ProbeType type : List.of(ProbeType.STARTUP, ProbeType.LIVENESS, ProbeType.READINESS)) {
            JsonNode json = containerSpec.path(type.field());
            if (json.isObject()) probes.add(parse(type, json));
        }
        return probes;
    }

    /** One probe from its JSON, defaults applied. */
    public static Probe parse(ProbeType type, JsonNode json) {
        int success = positive(json, "successThreshold", 1);
        if (type != ProbeType.READINESS) success = 1; // Kubernetes requires 1 for liveness and startup
        JsonNode grace = json.path("terminationGracePeriodSeconds");
        return new Probe(type, handler(json),
                Duration.ofSeconds(Math.max(0, json.path("initialDelaySeconds").asInt(0))),
                Duration.ofSeconds(positive(json, "periodSeconds", 10)),
                Duration.ofSeconds(positive(json, "timeoutSeconds", 1)),
                success, positive(json, "failureThreshold", 3),
                grace.isNumber() ? grace.asInt() : null);
    }

    /** The handler of a probe or a lifecycle hook ({@code httpGet}, {@code tcpSocket}, {@code exec}, {@code grpc}). */
    public static Handler handler(JsonNode json) {
        JsonNode http = json.path("httpGet");
        if (http.isObject()) {
            List<Header> headers = new ArrayList<>();
            for (JsonNode h : http.path("httpHeaders")) headers.add(new Header(h.path("name").asText(), h.path("value").asText()));
            return new HttpGet(http.path("path").asText("/"), http.path("port").asText(), text(http, "host"),
                    http.path("scheme").asText("HTTP"), List.copyOf(headers));
        }
        JsonNode tcp = json.path("tcpSocket");
        if (tcp.isObject()) return new TcpSocket(tcp.path("port").asText(), text(tcp, "host"));
        JsonNode exec = json.path("exec");
        if (exec.isObject()) {
            List<String> command = new ArrayList<>();
            exec.path("command").forEach(c -> command.add(c.asText()));
            return new Exec(List.copyOf(command));
        }
        JsonNode grpc = json.path("grpc");
        if (grpc.isObject()) return new Grpc(grpc.path("port").asInt(), text(grpc, "service"));
        return new Missing();
    }

    private static int positive(JsonNode json, String field, int dflt) {
        int v = json.path(field).asInt(0);
        return v > 0 ? v : dflt;
    }

    private static String text(JsonNode json, String field) {
        String v = json.path(field).asText("");
        return v.isEmpty() ? null : v;
    }
}
