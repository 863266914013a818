package dev.mo.model;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KindTest {
    @Test
    void acceptsEveryNameKubectlAccepts() {
        for (String name : new String[] {"networkpolicies", "networkpolicy", "netpol", "NetworkPolicy"}) {
            assertEquals(Optional.of(Kind.NETWORK_POLICY), Kind.byCliName(name), name);
        }
        for (String name : new String[] {"pods", "pod", "po", "Pod"}) {
            assertEquals(Optional.of(Kind.POD), Kind.byCliName(name), name);
        }
        assertEquals(Optional.of(Kind.INGRESS), Kind.byCliName("ingress"));
        assertEquals(Optional.of(Kind.SERVICE_ACCOUNT), Kind.byCliName("sa"));
        assertEquals(Optional.empty(), Kind.byCliName("networkpolicie"));
    }
}
