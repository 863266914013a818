package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code mo annotate KIND NAME key=value key-}: kubectl annotate. Keys are checked by the server. */
@Command(name = "annotate", description = "Update the annotations on objects.")
public final class AnnotateCommand extends MetadataMapEdit {
    /** kubectl lets the change cause be rewritten without --overwrite. */
    private static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

    @Override
    String noun() { return "annotation"; }

    @Override
    String field() { return "annotations"; }

    /** An annotation's value may hold '=': only the first one ends the key. */
    @Override
    Map.Entry<String, String> parsePair(String pair) {
        String[] parts = pair.split("=", 2);
        if (parts[0].isEmpty()) throw new CliError("invalid annotation format: " + pair);
        return Map.entry(parts[0], parts[1]);
    }

    @Override
    CliError bothModifiedAndRemoved(List<String> keys) {
        return new CliError("can not both modify and remove the following annotation(s) in the same command: " + String.join(", ", keys));
    }

    @Override
    CliError overwriteRefused(Map<String, String> conflicts) {
        List<String> each = new ArrayList<>();
        conflicts.forEach((key, value) -> each.add("'" + key + "' already has a value (" + value + ")"));
        return new CliError("--overwrite is false but found the following declared annotation(s): " + String.join("; ", each));
    }

    @Override
    Set<String> overwritableKeys() { return Set.of(CHANGE_CAUSE); }

    /** kubectl says "annotated" whether or not anything changed. */
    @Override
    String resultWord(ObjectNode before, ObjectNode after) { return "annotated"; }
}
