package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * kubectl get's flags that change any kind's table: {@code --no-headers}, {@code --show-labels}
 * (a LABELS column last: {@code app=web,tier=front}, sorted by key, or {@code <none>}) and
 * {@code -L KEY,...} (a column per label key, headed by the key's last part in capitals:
 * {@code -L app.kubernetes.io/name} is NAME; empty where the object lacks it).
 */
public record TableExtras(boolean noHeaders, boolean showLabels, List<String> labelColumns) {
    public static final TableExtras NONE = new TableExtras(false, false, List.of());

    public TableExtras {
        labelColumns = List.copyOf(labelColumns);
    }

    List<String> headers() {
        List<String> headers = new ArrayList<>();
        for (String key : labelColumns) headers.add(key.substring(key.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT));
        if (showLabels) headers.add("LABELS");
        return headers;
    }

    List<String> cells(ObjectNode object) {
        Map<String, String> labels = new TreeMap<>();
        JsonNode l = Json.at(object, "metadata.labels");
        l.fieldNames().forEachRemaining(k -> labels.put(k, l.get(k).asText()));
        List<String> cells = new ArrayList<>();
        for (String key : labelColumns) cells.add(labels.getOrDefault(key, ""));
        if (showLabels) {
            List<String> pairs = new ArrayList<>();
            labels.forEach((k, v) -> pairs.add(k + "=" + v));
            cells.add(pairs.isEmpty() ? "<none>" : String.join(",", pairs));
        }
        return cells;
    }
}
