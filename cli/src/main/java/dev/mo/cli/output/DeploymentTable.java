package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get deployments}. */
final class DeploymentTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
                List.of("CONTAINERS", "IMAGES", "SELECTOR"));
    }

    @Override
    public List<String> row(ObjectNode d, boolean wide, Clock clock) {
        List<String> base = List.of(str(d, "metadata.name"),
                num(d, "status.readyReplicas", 0) + "/" + num(d, "spec.replicas", 1),
                String.valueOf(num(d, "status.updatedReplicas", 0)),
                String.valueOf(num(d, "status.availableReplicas", 0)),
                age(d, clock));
        String[] containers = containerNamesAndImages(d.path("spec").path("template").path("spec"));
        return KindTable.plusWide(wide, base, List.of(containers[0], containers[1], selector(d.path("spec").path("selector"))));
    }
}
