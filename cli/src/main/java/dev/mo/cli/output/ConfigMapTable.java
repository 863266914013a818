package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get configmaps}: DATA counts data and binaryData keys. */
final class ConfigMapTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "DATA", "AGE");
    }

    @Override
    public List<String> row(ObjectNode cm, boolean wide, Clock clock) {
        int data = cm.path("data").size() + cm.path("binaryData").size();
        return List.of(str(cm, "metadata.name"), String.valueOf(data), age(cm, clock));
    }
}
