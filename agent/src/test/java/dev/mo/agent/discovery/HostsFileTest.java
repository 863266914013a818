package dev.mo.agent.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.PodAddresses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostsFileTest {
    static ObjectNode service(String ns, String name, String clusterIp) {
        return Json.parse("""
                {"kind":"Service","metadata":{"namespace":"%s","name":"%s"},
                 "spec":{"clusterIP":"%s","ports":[{"name":"http","port":80}]}}""".formatted(ns, name, clusterIp));
    }

    /** web-0 ready, web-1 not ready, and a pod without hostname (not a StatefulSet's) ready. */
    static ObjectNode endpoints() {
        ObjectNode ep = Json.parse("""
                {"kind":"Endpoints","metadata":{"namespace":"shop","name":"web"},"subsets":[
                  {"addresses":[{"ip":"127.0.0.1","hostname":"web-0","targetRef":{"kind":"Pod","name":"web-0"}}],
                   "ports":[{"name":"http","port":32000}]},
                  {"notReadyAddresses":[{"ip":"127.0.0.1","hostname":"web-1","targetRef":{"kind":"Pod","name":"web-1"}}],
                   "ports":[{"name":"http","port":32001}]},
                  {"addresses":[{"ip":"127.0.0.1","targetRef":{"kind":"Pod","name":"other-x1"}}],
                   "ports":[{"name":"http","port":32002}]}]}""");
        PodAddresses.record(ep, Map.of("web-0", "10.244.0.7", "web-1", "10.244.0.8", "other-x1", "10.244.0.9"));
        return ep;
    }

    static List<String> serviceLines(String text) {
        return text.lines().filter(l -> l.startsWith("10.")).toList();
    }

    @Test
    void aHeadlessServiceNamesEachReadyPodAndGivesItsOwnNameToEveryReadyPod() {
        String inShop = HostsFile.render("client-0", "shop",
                List.of(service("shop", "api", "10.96.0.12"), service("shop", "web", "None")), List.of(endpoints()));
        assertEquals(List.of(
                "10.96.0.12\tapi api.shop api.shop.svc.cluster.local",
                "10.244.0.7\tweb-0.web web-0.web.shop web-0.web.shop.svc.cluster.local",
                "10.244.0.7\tweb web.shop web.shop.svc.cluster.local",
                "10.244.0.9\tweb web.shop web.shop.svc.cluster.local"), serviceLines(inShop));

        String elsewhere = HostsFile.render("x", "other", List.of(service("shop", "web", "None")), List.of(endpoints()));
        assertEquals(List.of(
                "10.244.0.7\tweb-0.web.shop web-0.web.shop.svc.cluster.local",
                "10.244.0.7\tweb.shop web.shop.svc.cluster.local",
                "10.244.0.9\tweb.shop web.shop.svc.cluster.local"), serviceLines(elsewhere));
    }

    @Test
    void withPublishNotReadyAddressesAPodIsNamedBeforeItIsReady() {
        ObjectNode web = service("shop", "web", "None");
        ((ObjectNode) web.get("spec")).put("publishNotReadyAddresses", true);
        String text = HostsFile.render("client-0", "shop", List.of(web), List.of(endpoints()));
        assertEquals(true, text.contains("10.244.0.8\tweb-1.web web-1.web.shop web-1.web.shop.svc.cluster.local\n"), text);
    }

    @Test
    void aHeadlessServiceWithoutPodAddressesAddsNoLine() {
        String text = HostsFile.render("client-0", "shop", List.of(service("shop", "web", "None")), List.of());
        assertEquals(List.of(), serviceLines(text));
    }
}
