package dev.mo.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.PodAddresses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A headless Service's pods, each at its own address, each address forwarding to that pod only. */
class PodAddressRoutingTest {
    /** db-0 ready on host port 32000 (and 32100 for its second port), db-1 not ready on 32001. */
    static ObjectNode endpoints() {
        ObjectNode ep = Objects.endpoints("shop", "db", """
                [{"addresses":[{"ip":"127.0.0.1","hostname":"db-0","targetRef":{"kind":"Pod","name":"db-0"}}],
                  "ports":[{"name":"sql","port":32000,"protocol":"TCP"},{"name":"admin","port":32100,"protocol":"TCP"}]},
                 {"notReadyAddresses":[{"ip":"127.0.0.1","hostname":"db-1","targetRef":{"kind":"Pod","name":"db-1"}}],
                  "ports":[{"name":"sql","port":32001,"protocol":"TCP"},{"name":"admin","port":32101,"protocol":"TCP"}]}]""");
        PodAddresses.record(ep, Map.of("db-0", "10.244.1.1", "db-1", "10.244.2.2"));
        return ep;
    }

    static ObjectNode headless(boolean publishNotReady) {
        ObjectNode s = Objects.service("shop", "db", "ClusterIP", "None", """
                [{"name":"sql","port":5432},{"name":"admin","port":8080}]""");
        if (publishNotReady) ((ObjectNode) s.get("spec")).put("publishNotReadyAddresses", true);
        return s;
    }

    static Map<String, String> listeners(RoutingTable table) {
        return table.listeners("127.0.0.2").stream()
                .collect(Collectors.toMap(Listener::key, l -> String.join(" ", l.backends())));
    }

    @Test
    void eachPodAddressListensOnTheServicePortsAndForwardsToThatPodWhenReady() {
        RoutingTable table = RoutingTable.build(List.of(headless(false)), List.of(endpoints()), List.of());
        assertEquals(Set.of("10.244.1.1", "10.244.2.2"), table.podAddresses());
        assertEquals(Map.of(
                "10.244.1.1:5432", "127.0.0.1:32000",
                "10.244.1.1:8080", "127.0.0.1:32100",
                "10.244.2.2:5432", "", // not ready: no traffic
                "10.244.2.2:8080", ""), listeners(table));
    }

    @Test
    void publishNotReadyAddressesSendsTrafficToAPodBeforeItIsReady() {
        RoutingTable table = RoutingTable.build(List.of(headless(true)), List.of(endpoints()), List.of());
        assertEquals("127.0.0.1:32001", listeners(table).get("10.244.2.2:5432"));
    }

    @Test
    void aServiceWithAClusterIpHasNoPodListenersEvenWithTheAnnotation() {
        ObjectNode withIp = Objects.service("shop", "db", "ClusterIP", "10.96.0.40", """
                [{"name":"sql","port":5432},{"name":"admin","port":8080}]""");
        RoutingTable table = RoutingTable.build(List.of(withIp), List.of(endpoints()), List.of());
        assertEquals(Set.of(), table.podAddresses());
        assertEquals(Set.of("10.96.0.40:5432", "10.96.0.40:8080"), listeners(table).keySet());
        assertEquals("127.0.0.1:32000", listeners(table).get("10.96.0.40:5432"));
    }
}
