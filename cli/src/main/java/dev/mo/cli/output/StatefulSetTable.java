package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get statefulsets}. */
final class StatefulSetTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "READY", "AGE"), List.of("CONTAINERS", "IMAGES"));
    }

    @Override
    public List<String> row(ObjectNode sts, boolean wide, Clock clock) {
        List<String> base = List.of(str(sts, "metadata.name"),
                num(sts, "status.readyReplicas", 0) + "/" + num(sts, "spec.replicas", 1),
                age(sts, clock));
        String[] containers = containerNamesAndImages(sts.path("spec").path("template").path("spec"));
        return KindTable.plusWide(wide, base, List.of(containers[0], containers[1]));
    }
}
