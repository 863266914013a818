package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.KeyRules;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mo label KIND NAME key=value key-}: kubectl label. Values are checked here as kubectl
 * checks them; keys by the server, which checks the object as it checks an apply.
 */
@Command(name = "label", description = "Update the labels on objects.")
public final class LabelCommand extends MetadataMapEdit {
    private static final String VALUE_RULE = "a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
            + "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    @Override
    String noun() { return "label"; }

    @Override
    String field() { return "labels"; }

    @Override
    Map.Entry<String, String> parsePair(String pair) {
        String[] parts = pair.split("=", -1);
        if (parts.length != 2) throw new CliError("invalid label spec: " + pair);
        List<String> problems = new ArrayList<>();
        if (parts[1].length() > KeyRules.LABEL_VALUE_MAX_LENGTH) {
            problems.add("must be no more than " + KeyRules.LABEL_VALUE_MAX_LENGTH + " characters");
        }
        if (!KeyRules.hasLabelValueCharacters(parts[1])) problems.add(VALUE_RULE);
        if (!problems.isEmpty()) throw new CliError("invalid label value: \"" + pair + "\": " + String.join(";", problems));
        return Map.entry(parts[0], parts[1]);
    }

    @Override
    CliError bothModifiedAndRemoved(List<String> keys) {
        return new CliError("can not both modify and remove a label in the same command");
    }

    @Override
    CliError overwriteRefused(Map<String, String> conflicts) {
        List<String> each = new ArrayList<>();
        conflicts.forEach((key, value) -> each.add("'" + key + "' already has a value (" + value + "), and --overwrite is false"));
        // kubectl aggregates the errors: one is shown alone, several in brackets.
        return new CliError(each.size() == 1 ? each.get(0) : "[" + String.join(", ", each) + "]");
    }

    @Override
    void beforeResult(PrintWriter out, Map<String, String> current, Changes changes) {
        for (String key : changes.remove()) {
            if (!current.containsKey(key)) out.println("label \"" + key + "\" not found.");
        }
    }

    /**
     * kubectl's rule: unchanged is "not labeled"; a change that shrank the object without
     * --overwrite (so something was removed) is "unlabeled"; any other change "labeled".
     */
    @Override
    String resultWord(ObjectNode before, ObjectNode after) {
        String old = before.toString(), changed = after.toString();
        if (old.equals(changed)) return "not labeled";
        return !overwrite && changed.length() < old.length() ? "unlabeled" : "labeled";
    }
}
