package dev.mo.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class PodAddressesTest {
    @Test
    void theSamePodOfTheSameServiceGetsTheSameAddressAndATakenOneIsSkipped() {
        String first = PodAddresses.allocate("shop", "db", "db-0", Set.of());
        assertEquals(first, PodAddresses.allocate("shop", "db", "db-0", Set.of()));
        assertTrue(first.matches("10\\.244\\.\\d+\\.\\d+"), first);
        String other = PodAddresses.allocate("shop", "db", "db-0", Set.of(first));
        assertNotEquals(first, other);
        assertTrue(other.startsWith("10.244."), other);
        assertNotEquals(first, PodAddresses.allocate("shop", "db", "db-1", Set.of()));
    }

    @Test
    void neitherTheNetworkNorTheBroadcastAddressIsGiven() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) seen.add(PodAddresses.allocate("ns", "svc", "p-" + i, Set.of()));
        assertFalse(seen.contains("10.244.0.0"));
        assertFalse(seen.contains("10.244.255.255"));
    }

    @Test
    void theAnnotationRoundTripsAndAnEmptyMapRemovesIt() {
        ObjectNode ep = Json.parse("""
                {"kind":"Endpoints","metadata":{"name":"db","namespace":"shop"}}""");
        PodAddresses.record(ep, Map.of("db-1", "10.244.3.4", "db-0", "10.244.1.2"));
        assertEquals("{\"db-0\":\"10.244.1.2\",\"db-1\":\"10.244.3.4\"}", Meta.annotations(ep).get(PodAddresses.ANNOTATION));
        assertEquals(Map.of("db-0", "10.244.1.2", "db-1", "10.244.3.4"), PodAddresses.of(ep));
        PodAddresses.record(ep, Map.of());
        assertEquals(Map.of(), PodAddresses.of(ep));
        assertFalse(ep.path("metadata").has("annotations"));
    }
}
