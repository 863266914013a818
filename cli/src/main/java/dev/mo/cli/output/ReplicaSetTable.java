package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get replicasets}. */
final class ReplicaSetTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
                List.of("CONTAINERS", "IMAGES", "SELECTOR"));
    }

    @Override
    public List<String> row(ObjectNode rs, boolean wide, Clock clock) {
        List<String> base = List.of(str(rs, "metadata.name"),
                String.valueOf(num(rs, "spec.replicas", 1)),
                String.valueOf(num(rs, "status.replicas", 0)),
                String.valueOf(num(rs, "status.readyReplicas", 0)),
                age(rs, clock));
        String[] containers = containerNamesAndImages(rs.path("spec").path("template").path("spec"));
        return KindTable.plusWide(wide, base, List.of(containers[0], containers[1], formatSelector(rs.path("spec").path("selector"))));
    }
}
