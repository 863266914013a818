package dev.mo.agent.images;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageSourcesTest {
    static final String ANNOTATION = "mo.dev/agent-url";

    static ObjectNode node(String name, boolean ready, String url, String... names) {
        ObjectNode n = Json.parse("""
                {"kind":"Node","metadata":{"name":"%s","annotations":{}},
                 "status":{"conditions":[{"type":"Ready","status":"%s"}],"images":[{"names":[],"sizeBytes":2000000}]}}
                """.formatted(name, ready ? "True" : "Unknown"));
        if (url != null) ((ObjectNode) n.at("/metadata/annotations")).put(ANNOTATION, url);
        for (String s : names) ((com.fasterxml.jackson.databind.node.ArrayNode) n.at("/status/images/0/names")).add(s);
        return n;
    }

    @Test
    void readyOtherNodesThatListTheImageAreSources() {
        List<ObjectNode> nodes = List.of(
                node("self", true, "http://10.0.0.1:7071", "app:v1", "sha256:aa"),
                node("b", true, "http://10.0.0.2:7071", "app:v1", "sha256:aa"),
                node("c", false, "http://10.0.0.3:7071", "app:v1", "sha256:aa"),
                node("d", true, null, "app:v1", "sha256:aa"),
                node("e", true, "http://10.0.0.5:7071", "app:v2", "sha256:bb"),
                node("f", true, "http://10.0.0.6:7071", "app:v1", "sha256:cc"));

        assertEquals(List.of(new ImageSources.Source("b", "http://10.0.0.2:7071", "sha256:aa", 2000000),
                        new ImageSources.Source("f", "http://10.0.0.6:7071", "sha256:cc", 2000000)),
                ImageSources.find(nodes, "app:v1", "self", ANNOTATION));
    }

    @Test
    void noSourceWhenNoOtherNodeHasIt() {
        assertEquals(List.of(), ImageSources.find(List.of(node("self", true, "u", "app:v1", "sha256:aa")), "app:v1", "self", ANNOTATION));
    }
}
