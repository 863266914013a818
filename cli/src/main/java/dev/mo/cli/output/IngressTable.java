package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get ingresses}. */
final class IngressTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE");
    }

    @Override
    public List<String> row(ObjectNode ing, boolean wide, Clock clock) {
        String className = has(ing, "spec.ingressClassName") ? str(ing, "spec.ingressClassName") : "<none>";
        String ports = list(ing, "spec.tls").isEmpty() ? "80" : "80, 443";
        return List.of(str(ing, "metadata.name"), className, hosts(ing),
                loadBalancerIngress(ing.path("status").path("loadBalancer"), wide), ports, age(ing, clock));
    }

    /** kubectl's {@code formatHosts}: up to three hosts, {@code *} when none. */
    private static String hosts(JsonNode ing) {
        List<JsonNode> rules = list(ing, "spec.rules");
        List<String> shown = new ArrayList<>();
        int max = 3;
        boolean more = false;
        for (JsonNode rule : rules) {
            if (shown.size() == max) more = true;
            if (!more && !str(rule, "host").isEmpty()) shown.add(str(rule, "host"));
        }
        if (shown.isEmpty()) return "*";
        String joined = String.join(",", shown);
        return more ? joined + " + " + (rules.size() - max) + " more..." : joined;
    }
}
