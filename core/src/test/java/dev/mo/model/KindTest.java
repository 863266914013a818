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

    @Test
    void acceptsTheGroupAndVersionAfterADotAsMinusONamePrintsThem() {
        for (String name : new String[] {"deployment.apps", "deployments.apps", "Deployment.apps", "deploy.apps", "deployments.v1.apps"}) {
            assertEquals(Optional.of(Kind.DEPLOYMENT), Kind.byCliName(name), name);
        }
        assertEquals(Optional.of(Kind.INGRESS), Kind.byCliName("ingress.networking.k8s.io"));
        assertEquals(Optional.of(Kind.HORIZONTAL_POD_AUTOSCALER), Kind.byCliName("horizontalpodautoscaler.autoscaling"));
        assertEquals(Optional.empty(), Kind.byCliName("deployments.batch"), "the wrong group");
        assertEquals(Optional.empty(), Kind.byCliName("deployments.v9.apps"), "a version mo does not serve");
        assertEquals(Optional.empty(), Kind.byCliName("pods.v1"), "the core group has no name");
    }
}
