package dev.mo.agent.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Meta;

import java.util.ArrayList;
import java.util.List;

/**
 * Which other nodes can give this node an image: those that are Ready, list it in their
 * {@code status.images} (as each agent reports its engine's images with its heartbeat) and
 * have an agent endpoint. A pure function of the Node objects.
 */
public final class ImageSources {
    private ImageSources() {}

    /** A node that has the image, and the image ID it listed, which the copy must match. */
    public record Source(String node, String agentUrl, String imageId, long sizeBytes) {}

    public static List<Source> find(List<ObjectNode> nodes, String repoTag, String self, String agentUrlAnnotation) {
        List<Source> sources = new ArrayList<>();
        for (ObjectNode node : nodes) {
            String name = Meta.name(node);
            String url = node.path("metadata").path("annotations").path(agentUrlAnnotation).asText("");
            if (name.equals(self) || url.isEmpty() || !ready(node)) continue;
            for (JsonNode image : node.path("status").path("images")) {
                String id = null;
                boolean named = false;
                for (JsonNode n : image.path("names")) {
                    if (n.asText().startsWith("sha256:")) id = n.asText();
                    if (n.asText().equals(repoTag)) named = true;
                }
                if (named && id != null) sources.add(new Source(name, url, id, image.path("sizeBytes").asLong()));
            }
        }
        return sources;
    }

    private static boolean ready(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
        }
        return false;
    }
}
