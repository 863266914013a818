package dev.mo.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static dev.mo.proxy.Objects.endpoints;
import static dev.mo.proxy.Objects.ingress;
import static dev.mo.proxy.Objects.namedPath;
import static dev.mo.proxy.Objects.path;
import static dev.mo.proxy.Objects.readyPod;
import static dev.mo.proxy.Objects.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTableTest {
    /*
     * One namespace "shop":
     *   web    ClusterIP    port http:80         two ready pods (32768, 32769), one not ready (32770)
     *   api    NodePort     ports http:8080, grpc:9090 (nodePorts 30080, 30090), one pod with both
     *   static LoadBalancer one unnamed port 80 (nodePort 30081), one pod (32790)
     *   empty  ClusterIP    port 80, no Endpoints object at all
     *   dns    ClusterIP    UDP 53 only; headless: a headless Service, no listener
     */
    static final List<ObjectNode> SERVICES = List.of(
            service("shop", "web", "ClusterIP", "172.28.128.10", """
                    [{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]"""),
            service("shop", "api", "NodePort", "172.28.128.11", """
                    [{"name":"http","port":8080,"targetPort":8080,"nodePort":30080},
                     {"name":"grpc","port":9090,"targetPort":9090,"nodePort":30090}]"""),
            service("shop", "static", "LoadBalancer", "172.28.128.12", """
                    [{"port":80,"targetPort":80,"nodePort":30081}]"""),
            service("shop", "empty", "ClusterIP", "172.28.128.13", """
                    [{"name":"http","port":80}]"""),
            service("shop", "dns", "ClusterIP", "172.28.128.14", """
                    [{"name":"dns","port":53,"protocol":"UDP"}]"""),
            service("shop", "headless", "ClusterIP", "None", """
                    [{"name":"http","port":80}]"""));

    static final List<ObjectNode> ENDPOINTS = List.of(
            endpoints("shop", "web", "[" + readyPod("http", 32768) + "," + readyPod("http", 32769) + ","
                    + """
                    {"notReadyAddresses":[{"ip":"127.0.0.1","nodeName":"n1"}],
                     "ports":[{"name":"http","port":32770,"protocol":"TCP"}]}""" + "]"),
            endpoints("shop", "api", """
                    [{"addresses":[{"ip":"127.0.0.1","nodeName":"n1"}],
                      "ports":[{"name":"http","port":32780,"protocol":"TCP"},{"name":"grpc","port":32781,"protocol":"TCP"}]}]"""),
            endpoints("shop", "static", "[" + readyPod("", 32790) + "]"));

    static final List<ObjectNode> INGRESSES = List.of(
            ingress("shop", "main", """
                    {"ingressClassName":"mo","rules":[
                      {"host":"shop.example.com","http":{"paths":[%s,%s,%s,%s,%s,%s,%s]}},
                      {"host":"*.example.com","http":{"paths":[%s]}},
                      {"http":{"paths":[%s,%s,%s,%s]}}]}""".formatted(
                    path("/", "Prefix", "web", 80),
                    namedPath("/api", "Prefix", "api", "http"),
                    path("/api/v1", "Prefix", "web", 80),
                    path("/api/v1/exact", "Exact", "static", 80),
                    path("/exact", "Prefix", "static", 80),
                    path("/exact", "Exact", "api", 8080),
                    path("/trailing/", "Prefix", "api", 9090),
                    path("/", "Prefix", "static", 80),
                    path("/empty", "Prefix", "empty", 80),
                    path("/missing", "Prefix", "missing", 80),
                    path("/badport", "Prefix", "web", 9999),
                    path("/impl", "ImplementationSpecific", "web", 80))),
            ingress("shop", "fallback", """
                    {"defaultBackend":{"service":{"name":"static","port":{"number":80}}}}"""),
            ingress("zoo", "own", """
                    {"defaultBackend":{"service":{"name":"zoo-default","port":{"number":80}}},
                     "rules":[{"host":"zoo.example.org","http":{"paths":[%s]}}]}""".formatted(
                    path("/animals", "Exact", "animals", 80))));

    static final RoutingTable TABLE = RoutingTable.build(SERVICES, ENDPOINTS, INGRESSES);

    static final String WEB = "127.0.0.1:32768 127.0.0.1:32769";

    @ParameterizedTest(name = "{0}{1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # host                  | path                | service port             | ready backends
            shop.example.com        | /                   | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            shop.example.com        | /cart               | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            # Prefix matches whole path elements, a trailing slash ignored
            shop.example.com        | /api                | shop/api:http            | 127.0.0.1:32780
            shop.example.com        | /api/               | shop/api:http            | 127.0.0.1:32780
            shop.example.com        | /api/x              | shop/api:http            | 127.0.0.1:32780
            shop.example.com        | /apix               | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            shop.example.com        | /trailing           | shop/api:9090            | 127.0.0.1:32781
            shop.example.com        | /trailing/x         | shop/api:9090            | 127.0.0.1:32781
            # the longest match wins
            shop.example.com        | /api/v1             | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            shop.example.com        | /api/v1/users       | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            shop.example.com        | /api/v1/exact       | shop/static:80           | 127.0.0.1:32790
            shop.example.com        | /api/v1/exact/more  | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            # Exact beats Prefix for the same path; Exact does not match below it
            shop.example.com        | /exact              | shop/api:8080            | 127.0.0.1:32780
            shop.example.com        | /exact/             | shop/static:80           | 127.0.0.1:32790
            shop.example.com        | /exact/x            | shop/static:80           | 127.0.0.1:32790
            # host: case and port ignored; wildcard covers one label; else the host-less rules
            SHOP.Example.COM:8080   | /api                | shop/api:http            | 127.0.0.1:32780
            a.example.com           | /empty              | shop/static:80           | 127.0.0.1:32790
            a.b.example.com         | /empty              | shop/empty:80            | -
            example.com             | /impl/x             | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            # a host with rules does not fall through to the host-less rules
            shop.example.com        | /empty              | shop/web:80              | 127.0.0.1:32768 127.0.0.1:32769
            # routes that exist without backends (503): no Endpoints, no Service, no such port
            10.1.2.3                | /empty/x            | shop/empty:80            | -
            10.1.2.3                | /missing            | shop/missing:80          | -
            10.1.2.3                | /badport            | shop/web:9999            | -
            # nothing matched: a defaultBackend, the host's own Ingress's first
            10.1.2.3                | /nothing            | shop/static:80           | 127.0.0.1:32790
            zoo.example.org         | /animals            | zoo/animals:80           | -
            zoo.example.org         | /animals/cat        | zoo/zoo-default:80       | -
            """)
    void routes(String host, String path, String serviceKey, String backends) {
        Route r = TABLE.route(host, path);
        assertEquals(serviceKey, r.serviceKey());
        assertEquals(backends == null ? List.of() : Arrays.asList(backends.split(" ")), r.backends());
    }

    @Test
    void withoutDefaultBackendNothingMatchedIsNoRoute() {
        RoutingTable t = RoutingTable.build(SERVICES, ENDPOINTS, List.of(INGRESSES.get(0)));
        assertNull(t.route("10.1.2.3", "/nothing"));
        assertEquals("shop/web:80", t.route("shop.example.com", "/nothing").serviceKey());
        assertNull(RoutingTable.EMPTY.route("shop.example.com", "/"));
    }

    @Test
    void notReadyAddressesAreNeverRouted() {
        assertFalse(TABLE.route("shop.example.com", "/").backends().contains("127.0.0.1:32770"));
        assertFalse(TABLE.routeBackends().contains("127.0.0.1:32770"));
        assertTrue(TABLE.routeBackends().contains("127.0.0.1:32768"));
    }

    @Test
    void listenersForClusterIpNodePortAndLoadBalancer() {
        String expected = """
                172.28.128.11:8080 shop/api:8080 127.0.0.1:32780
                127.0.0.2:30080 shop/api:8080 127.0.0.1:32780
                172.28.128.11:9090 shop/api:9090 127.0.0.1:32781
                127.0.0.2:30090 shop/api:9090 127.0.0.1:32781
                172.28.128.13:80 shop/empty:80
                172.28.128.12:80 shop/static:80 127.0.0.1:32790
                127.0.0.2:30081 shop/static:80 127.0.0.1:32790
                127.0.0.2:80 shop/static:80 127.0.0.1:32790
                172.28.128.10:80 shop/web:80 127.0.0.1:32768 127.0.0.1:32769""";
        String actual = TABLE.listeners("127.0.0.2").stream()
                .map(l -> (l.key() + " " + l.service() + " " + String.join(" ", l.backends())).trim())
                .collect(Collectors.joining("\n"));
        assertEquals(expected, actual);
    }

    @Test
    void clientIpAffinityComesFromTheService() {
        ObjectNode sticky = service("shop", "cart", "NodePort", "172.28.128.30", """
                [{"port":80,"nodePort":30030}]""");
        ((ObjectNode) sticky.get("spec")).put("sessionAffinity", "ClientIP");
        ObjectNode shortSticky = sticky.deepCopy();
        ((ObjectNode) shortSticky.get("spec")).set("sessionAffinityConfig",
                dev.mo.model.Json.parse("{\"clientIP\":{\"timeoutSeconds\":60}}"));
        ObjectNode plain = service("shop", "web", "ClusterIP", "172.28.128.31", "[{\"port\":80}]");
        assertEquals(List.of(Duration.ofHours(3), Duration.ofHours(3)), affinities(sticky), "kube-proxy's default, on every socket");
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(60)), affinities(shortSticky));
        assertEquals(java.util.Collections.singletonList(null), affinities(plain));
    }

    @Test
    void trafficPolicyLocalKeepsToThisNodesEndpoints() {
        ObjectNode svc = service("shop", "api", "NodePort", "172.28.128.40", """
                [{"name":"http","port":80,"nodePort":30040}]""");
        ObjectNode eps = endpoints("shop", "api", """
                [{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"name":"http","port":32001}]}]""");
        assertEquals(List.of("172.28.128.40:80 10.0.0.1:32001 10.0.0.2:32001", "10.0.0.1:30040 10.0.0.1:32001 10.0.0.2:32001"),
                routes(svc, eps, "10.0.0.1"), "Cluster (the default): every endpoint");
        ((ObjectNode) svc.get("spec")).put("externalTrafficPolicy", "Local");
        assertEquals(List.of("172.28.128.40:80 10.0.0.1:32001 10.0.0.2:32001", "10.0.0.2:30040 10.0.0.2:32001"),
                routes(svc, eps, "10.0.0.2"), "external Local: the node port goes to this node's endpoint only");
        ((ObjectNode) svc.get("spec")).put("internalTrafficPolicy", "Local");
        assertEquals(List.of("172.28.128.40:80", "10.0.0.3:30040"),
                routes(svc, eps, "10.0.0.3"), "a node with no endpoint of its own has none to send to");
    }

    private static List<String> routes(ObjectNode service, ObjectNode endpoints, String nodeAddress) {
        return RoutingTable.build(List.of(service), List.of(endpoints), List.of()).listeners(nodeAddress).stream()
                .map(l -> (l.key() + " " + String.join(" ", l.backends())).trim()).toList();
    }

    private static List<Duration> affinities(ObjectNode service) {
        return RoutingTable.build(List.of(service), List.of(), List.of()).listeners("127.0.0.2").stream()
                .map(Listener::affinity).toList();
    }

    @Test
    void twoServicesOnOneAddressAndPortTheFirstByNameKeepsIt() {
        List<ObjectNode> services = List.of(
                service("b", "second", "LoadBalancer", "172.28.128.21", """
                        [{"port":80,"nodePort":30001}]"""),
                service("a", "first", "LoadBalancer", "172.28.128.20", """
                        [{"port":80,"nodePort":30000}]"""));
        List<String> keys = RoutingTable.build(services, List.of(), List.of()).listeners("127.0.0.2").stream()
                .map(l -> l.key() + " " + l.service()).toList();
        assertEquals(List.of("172.28.128.20:80 a/first:80", "127.0.0.2:30000 a/first:80", "127.0.0.2:80 a/first:80",
                "172.28.128.21:80 b/second:80", "127.0.0.2:30001 b/second:80"), keys);
    }

    @ParameterizedTest
    @CsvSource({"*.example.com, a.example.com, true", "*.example.com, example.com, false",
            "*.example.com, a.b.example.com, false", "*.example.com, aexample.com, false",
            "example.com, example.com, false"})
    void wildcardCoversExactlyOneLabel(String pattern, String host, boolean matches) {
        assertEquals(matches, RoutingTable.wildcardMatches(pattern, host));
    }
}
