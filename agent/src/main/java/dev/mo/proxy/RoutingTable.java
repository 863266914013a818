package dev.mo.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.model.PodAddresses;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the node's proxies need to know, computed once from Services, Endpoints and
 * Ingresses. Pure and immutable: no sockets, no clock, so it is tested with tables and swapped
 * into the running proxies atomically ({@link HttpProxy#update}, {@link TcpProxy#update}).
 *
 * <p>Backends are resolved at build time: a {@link Route} or {@link Listener} already carries the
 * {@code ip:port} of every ready pod. mo writes one Endpoints subset per pod (each pod has its
 * own host port), and names each endpoint port like the Service port it serves, so a Service
 * port's backends are, over all subsets, the ready addresses with the subset's port of that name.
 */
public final class RoutingTable {
    /** One {@code http.paths[]} entry of an Ingress rule, resolved. */
    private record PathRule(String path, boolean exact, Route route) {
        boolean matches(String requestPath) {
            if (exact) return requestPath.equals(path);
            // Prefix (and ImplementationSpecific): element-wise, a trailing slash on either side ignored.
            String p = stripTrailingSlash(path);
            if (p.isEmpty()) return true; // "/" matches everything
            return requestPath.equals(p) || requestPath.startsWith(p + "/");
        }
    }

    /** One {@code rules[]} entry: a host ("" for any host) and its paths, in document order. */
    private record Rule(String host, String ingress, List<PathRule> paths) {}

    private final List<Rule> rules;
    /** {@code namespace/name} of an Ingress → its defaultBackend, Ingresses in name order. */
    private final Map<String, Route> defaultBackends;
    /** Per Service (sorted by namespace/name): its object and, per port name, its ready backends. */
    private final List<ServiceInfo> services;

    private record ServiceInfo(String namespace, String name, ObjectNode service, ObjectNode endpoints,
                               Map<String, List<String>> backendsByPortName) {}

    private RoutingTable(List<Rule> rules, Map<String, Route> defaultBackends, List<ServiceInfo> services) {
        this.rules = rules;
        this.defaultBackends = defaultBackends;
        this.services = services;
    }

    public static final RoutingTable EMPTY = build(List.of(), List.of(), List.of());

    /**
     * Builds the table. Objects may come in any order and from any namespace; Ingresses are
     * considered in namespace/name order so that ties are broken the same way on every node.
     */
    public static RoutingTable build(List<ObjectNode> services, List<ObjectNode> endpoints, List<ObjectNode> ingresses) {
        Map<String, ObjectNode> endpointsByName = new HashMap<>();
        for (ObjectNode e : endpoints) endpointsByName.put(Meta.namespace(e) + "/" + Meta.name(e), e);

        List<ServiceInfo> infos = new ArrayList<>();
        for (ObjectNode s : sortedByName(services)) {
            String ns = Meta.namespace(s), name = Meta.name(s);
            ObjectNode ep = endpointsByName.get(ns + "/" + name);
            infos.add(new ServiceInfo(ns, name, s, ep, readyBackends(ep)));
        }
        Map<String, ServiceInfo> byName = new HashMap<>();
        for (ServiceInfo i : infos) byName.put(i.namespace + "/" + i.name, i);

        List<Rule> rules = new ArrayList<>();
        Map<String, Route> defaults = new LinkedHashMap<>();
        for (ObjectNode ing : sortedByName(ingresses)) {
            String ns = Meta.namespace(ing);
            String ingKey = ns + "/" + Meta.name(ing);
            Route def = resolveBackend(ns, Json.at(ing, "spec.defaultBackend"), byName);
            if (def != null) defaults.put(ingKey, def);
            for (JsonNode rule : Json.at(ing, "spec.rules")) {
                List<PathRule> paths = new ArrayList<>();
                for (JsonNode p : rule.path("http").path("paths")) {
                    Route r = resolveBackend(ns, p.path("backend"), byName);
                    if (r == null) continue; // a `resource` backend: not ours to serve
                    String path = p.path("path").asText("");
                    if (path.isEmpty()) path = "/"; // ImplementationSpecific may omit it: everything
                    boolean exact = "Exact".equals(p.path("pathType").asText());
                    paths.add(new PathRule(path, exact, r));
                }
                rules.add(new Rule(normalizeHost(rule.path("host").asText("")), ingKey, List.copyOf(paths)));
            }
        }
        return new RoutingTable(List.copyOf(rules), defaults, List.copyOf(infos));
    }

    /**
     * The route for an HTTP request, or null (404). Kubernetes' rules, as ingress-nginx applies them:
     * <ol>
     * <li>the rules for exactly this host; if there are none, those whose wildcard ({@code *.example.com},
     *     one DNS label) matches; if none, the rules without a host. The chosen group is final: a host
     *     that has rules but no matching path does not fall through to the host-less rules;</li>
     * <li>among their paths that match, the longest wins, and Exact beats Prefix for the same path;
     *     further ties go to the first Ingress by namespace/name, then document order;</li>
     * <li>no path matched: the defaultBackend of an Ingress that owns one of those rules, else of
     *     any Ingress (first by namespace/name).</li>
     * </ol>
     *
     * @param host the Host header (a port and upper case are ignored)
     * @param path the request path, without the query string
     */
    public Route route(String host, String path) {
        String h = normalizeHost(host == null ? "" : host);
        String p = path == null || path.isEmpty() ? "/" : path;
        List<Rule> candidates = rulesFor(h);

        PathRule best = null;
        for (Rule rule : candidates) {
            for (PathRule pr : rule.paths) {
                if (pr.matches(p) && better(pr, best)) best = pr;
            }
        }
        if (best != null) return best.route;

        for (Rule rule : candidates) {
            Route def = defaultBackends.get(rule.ingress);
            if (def != null) return def;
        }
        return defaultBackends.values().stream().findFirst().orElse(null);
    }

    /**
     * Every backend some Ingress route points at: the HTTP proxy closes its idle connections
     * to the others when a new table comes in.
     */
    public Set<String> routeBackends() {
        Set<String> all = new LinkedHashSet<>();
        for (Rule r : rules) for (PathRule p : r.paths) all.addAll(p.route.backends());
        for (Route d : defaultBackends.values()) all.addAll(d.backends());
        return all;
    }

    private List<Rule> rulesFor(String host) {
        List<Rule> exact = new ArrayList<>(), wildcard = new ArrayList<>(), any = new ArrayList<>();
        for (Rule r : rules) {
            if (r.host.isEmpty()) any.add(r);
            else if (r.host.equals(host)) exact.add(r);
            else if (wildcardMatches(r.host, host)) wildcard.add(r);
        }
        return !exact.isEmpty() ? exact : !wildcard.isEmpty() ? wildcard : any;
    }

    /** Longer path first; for the same length, Exact first; else the earlier one stays. */
    private static boolean better(PathRule candidate, PathRule best) {
        if (best == null) return true;
        if (candidate.path.length() != best.path.length()) return candidate.path.length() > best.path.length();
        return candidate.exact && !best.exact;
    }

    /** {@code *.example.com} matches {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}. */
    static boolean wildcardMatches(String pattern, String host) {
        if (!pattern.startsWith("*.")) return false;
        String suffix = pattern.substring(1); // ".example.com"
        if (!host.endsWith(suffix)) return false;
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    /**
     * What this node listens on for TCP, as kube-proxy and k3s's service load balancer would:
     * every TCP Service port on its clusterIP; NodePort and LoadBalancer Services also on the
     * node's address at the nodePort; LoadBalancer also on the node's address at the Service port;
     * a headless Service on each of its pods' addresses, to that pod alone. When two Services
     * claim one address:port, the first by namespace/name keeps it.
     */
    public List<Listener> listeners(String nodeAddress) {
        Map<String, Listener> out = new LinkedHashMap<>();
        for (ServiceInfo s : services) {
            String type = Json.text(s.service, "spec.type");
            if (type == null) type = "ClusterIP";
            String clusterIp = Json.text(s.service, "spec.clusterIP");
            boolean hasClusterIp = clusterIp != null && !clusterIp.isEmpty() && !"None".equals(clusterIp);
            for (JsonNode p : Json.at(s.service, "spec.ports")) {
                if (!"TCP".equals(p.path("protocol").asText("TCP"))) continue; // UDP/SCTP: not proxied
                int port = p.path("port").asInt(0);
                String portName = p.path("name").asText("");
                List<String> backends = s.backendsByPortName.getOrDefault(portName, List.of());
                String label = s.namespace + "/" + s.name + ":" + port;
                Duration affinity = clientAffinity(s.service);
                // Traffic policy Local: only the endpoints on this node, none elsewhere (kube-proxy).
                List<String> internal = trafficPolicyLocal(s.service, "internalTrafficPolicy") ? onNode(backends, nodeAddress) : backends;
                List<String> external = trafficPolicyLocal(s.service, "externalTrafficPolicy") ? onNode(backends, nodeAddress) : backends;
                List<Listener> wanted = new ArrayList<>();
                if (hasClusterIp && port > 0) wanted.add(new Listener(clusterIp, port, label, internal, affinity));
                if (("NodePort".equals(type) || "LoadBalancer".equals(type)) && p.path("nodePort").asInt(0) > 0) {
                    wanted.add(new Listener(nodeAddress, p.path("nodePort").asInt(), label, external, affinity));
                }
                if ("LoadBalancer".equals(type) && port > 0) wanted.add(new Listener(nodeAddress, port, label, external, affinity));
                for (Listener l : wanted) out.putIfAbsent(l.key(), l);
            }
            if (PodAddresses.headless(s.service)) for (Listener l : podListeners(s)) out.putIfAbsent(l.key(), l);
        }
        return List.copyOf(out.values());
    }

    private static boolean trafficPolicyLocal(ObjectNode service, String field) {
        return "Local".equals(Json.text(service, "spec." + field));
    }

    /** The backends published on this node's address ({@code ip:port}, the ip being the node's). */
    private static List<String> onNode(List<String> backends, String nodeAddress) {
        return backends.stream().filter(b -> TcpProxy.parse(b).getHostString().equals(nodeAddress)).toList();
    }

    /**
     * {@code sessionAffinity: ClientIP}: how long a client sticks to its backend after its last
     * connection ({@code sessionAffinityConfig.clientIP.timeoutSeconds}, 3 hours by default, as
     * kube-proxy has it); null without affinity.
     */
    static Duration clientAffinity(ObjectNode service) {
        if (!"ClientIP".equals(Json.text(service, "spec.sessionAffinity"))) return null;
        return Duration.ofSeconds(Json.integer(service, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", 10_800));
    }

    /** The pod addresses of headless Services ({@link PodAddresses}): this node puts them on {@code mo0}. */
    public Set<String> podAddresses() {
        Set<String> out = new LinkedHashSet<>();
        for (ServiceInfo s : services) if (PodAddresses.headless(s.service)) out.addAll(PodAddresses.of(s.endpoints).values());
        return out;
    }

    /**
     * A headless Service's pods one by one: each pod's address listens on every TCP port of the
     * Service and forwards to that pod only, if it is ready (or at all, with
     * {@code publishNotReadyAddresses}).
     */
    private static List<Listener> podListeners(ServiceInfo s) {
        Map<String, String> addresses = PodAddresses.of(s.endpoints);
        if (addresses.isEmpty()) return List.of();
        List<Listener> out = new ArrayList<>();
        for (JsonNode subset : Json.at(s.endpoints, "subsets")) {
            List<JsonNode> pods = PodAddresses.served(s.service, subset);
            String pod = PodAddresses.podOf(subset);
            String podAddress = pod == null ? null : addresses.get(pod);
            if (podAddress == null) continue;
            for (JsonNode sp : Json.at(s.service, "spec.ports")) {
                if (!"TCP".equals(sp.path("protocol").asText("TCP")) || sp.path("port").asInt(0) <= 0) continue;
                List<String> backends = new ArrayList<>();
                for (JsonNode port : subset.path("ports")) {
                    if (!port.path("name").asText("").equals(sp.path("name").asText(""))) continue;
                    for (JsonNode a : pods) backends.add(hostPort(a.path("ip").asText(), port.path("port").asInt()));
                }
                int port = sp.path("port").asInt();
                out.add(new Listener(podAddress, port, s.namespace + "/" + s.name + "/" + pod + ":" + port, backends));
            }
        }
        return out;
    }

    /**
     * An Ingress backend ({@code {service: {name, port: {number|name}}}}) as a Route, with the
     * ready backends of that Service port; no backends when the Service, the port or the
     * Endpoints are missing. Null when it is not a Service backend.
     */
    private static Route resolveBackend(String namespace, JsonNode backend, Map<String, ServiceInfo> services) {
        JsonNode svc = backend.path("service");
        if (!svc.isObject() || svc.path("name").asText("").isEmpty()) return null;
        String name = svc.path("name").asText();
        JsonNode port = svc.path("port");
        boolean byNumber = port.path("number").isNumber();
        String portLabel = byNumber ? String.valueOf(port.path("number").asInt()) : port.path("name").asText("");

        ServiceInfo info = services.get(namespace + "/" + name);
        if (info == null) return new Route(namespace, name, portLabel, List.of());
        for (JsonNode sp : Json.at(info.service, "spec.ports")) {
            boolean same = byNumber ? sp.path("port").asInt(-1) == port.path("number").asInt()
                    : sp.path("name").asText("").equals(portLabel);
            if (same) {
                List<String> backends = info.backendsByPortName.getOrDefault(sp.path("name").asText(""), List.of());
                return new Route(namespace, name, portLabel, backends);
            }
        }
        return new Route(namespace, name, portLabel, List.of());
    }

    /**
     * Endpoint port name → {@code ip:port} of each ready address. {@code notReadyAddresses} are
     * left out on purpose: a pod failing its readiness probe must get no traffic.
     */
    private static Map<String, List<String>> readyBackends(ObjectNode endpoints) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (endpoints == null) return Map.of();
        for (JsonNode subset : Json.at(endpoints, "subsets")) {
            for (JsonNode port : subset.path("ports")) {
                if (!"TCP".equals(port.path("protocol").asText("TCP")) || port.path("port").asInt(0) <= 0) continue;
                Set<String> set = out.computeIfAbsent(port.path("name").asText(""), k -> new LinkedHashSet<>());
                for (JsonNode addr : subset.path("addresses")) {
                    String ip = addr.path("ip").asText("");
                    if (!ip.isEmpty()) set.add(hostPort(ip, port.path("port").asInt()));
                }
            }
        }
        Map<String, List<String>> frozen = new HashMap<>();
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return frozen;
    }

    private static String hostPort(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Lower case, without a port or a trailing dot: how Host headers and rule hosts are compared. */
    static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) { // IPv6 literal, maybe with a port
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static List<ObjectNode> sortedByName(List<ObjectNode> objects) {
        List<ObjectNode> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing((ObjectNode o) -> String.valueOf(Meta.namespace(o)))
                .thenComparing(o -> String.valueOf(Meta.name(o))));
        return sorted;
    }
}
