package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get endpoints}. */
final class EndpointsTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "ENDPOINTS", "AGE");
    }

    @Override
    public List<String> row(ObjectNode ep, boolean wide, Clock clock) {
        return List.of(str(ep, "metadata.name"), format(ep, null), age(ep, clock));
    }

    /**
     * kubectl's {@code formatEndpoints}: at most three {@code ip:port} entries, then {@code + N more...}.
     * {@code portNames} null means every port; otherwise only ports with those names.
     */
    static String format(JsonNode endpoints, Set<String> portNames) {
        List<JsonNode> subsets = list(endpoints, "subsets");
        if (endpoints == null || subsets.isEmpty()) return "<none>";
        List<String> shown = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = list(subset, "addresses");
            List<JsonNode> ports = list(subset, "ports");
            if (ports.isEmpty()) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (shown.size() == max) { more = true; break; }
                    shown.add(str(a, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                if (portNames != null && !portNames.contains(str(port, "name"))) continue;
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (shown.size() == max) { more = true; break; }
                    String ip = str(a, "ip");
                    String host = ip.contains(":") ? "[" + ip + "]" : ip;
                    shown.add(host + ":" + num(port, "port", 0));
                }
            }
        }
        String joined = String.join(",", shown);
        return more ? joined + " + " + (count - max) + " more..." : joined;
    }
}
