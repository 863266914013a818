package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get namespaces}. */
final class NamespaceTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "STATUS", "AGE");
    }

    @Override
    public List<String> row(ObjectNode ns, boolean wide, Clock clock) {
        return List.of(str(ns, "metadata.name"), str(ns, "status.phase", "Active"), age(ns, clock));
    }
}
