package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints what {@code mo get} shows, as kubectl does: a table (optionally wide, optionally with a
 * NAMESPACE column for {@code -A}), {@code kind.group/name} lines, or the objects as JSON / YAML.
 */
public final class ResourcePrinter {
    /** The kinds {@code get all} lists, in kubectl's order (jobs last, after autoscalers). */
    public static final List<Kind> ALL_KINDS = List.of(Kind.POD, Kind.SERVICE, Kind.DEPLOYMENT, Kind.REPLICA_SET,
            Kind.STATEFUL_SET, Kind.HORIZONTAL_POD_AUTOSCALER, Kind.JOB);

    private ResourcePrinter() {}

    /**
     * Prints a list request ({@code get pods}): a table, names, or a {@code List} document for json/yaml
     * (even with one item or none). An empty table prints nothing: show {@link #noResourcesFound} on stderr.
     */
    public static void print(Kind kind, List<ObjectNode> items, OutputFormat format, boolean withNamespaceColumn,
                             PrintWriter out, Clock clock) {
        print(kind, items, format, withNamespaceColumn, TableExtras.NONE, out, clock);
    }

    /** {@link #print(Kind, List, OutputFormat, boolean, PrintWriter, Clock)} with kubectl's table flags. */
    public static void print(Kind kind, List<ObjectNode> items, OutputFormat format, boolean withNamespaceColumn,
                             TableExtras extras, PrintWriter out, Clock clock) {
        switch (format) {
            case TABLE, WIDE -> out.print(table(kind, items, format == OutputFormat.WIDE, withNamespaceColumn, false, extras, clock));
            case NAME -> items.forEach(o -> out.println(qualifiedName(kind, Meta.name(o))));
            case JSON -> out.print(GoJson.pretty(list(items)));
            case YAML -> out.print(KubectlYaml.dump(list(items)));
        }
        out.flush();
    }

    /** Prints one object asked for by name ({@code get pod web-1}): json/yaml print the object itself, not a List. */
    public static void printObject(ObjectNode obj, OutputFormat format, PrintWriter out, Clock clock) {
        printObject(obj, format, TableExtras.NONE, out, clock);
    }

    public static void printObject(ObjectNode obj, OutputFormat format, TableExtras extras, PrintWriter out, Clock clock) {
        switch (format) {
            case JSON -> out.print(GoJson.pretty(obj));
            case YAML -> out.print(KubectlYaml.dump(obj));
            default -> print(Meta.kind(obj), List.of(obj), format, false, extras, out, clock);
        }
        out.flush();
    }

    /**
     * Prints objects of several kinds ({@code get all}, {@code get pods,svc}): one table per kind, in the
     * order the kinds first appear, NAME cells as {@code pod/web-1}, tables separated by a blank line.
     * Names and json/yaml treat them as one list.
     */
    public static void printMixed(List<ObjectNode> items, OutputFormat format, boolean withNamespaceColumn,
                                  PrintWriter out, Clock clock) {
        printMixed(items, format, withNamespaceColumn, TableExtras.NONE, out, clock);
    }

    public static void printMixed(List<ObjectNode> items, OutputFormat format, boolean withNamespaceColumn,
                                  TableExtras extras, PrintWriter out, Clock clock) {
        if (!format.isTable()) {
            if (format == OutputFormat.NAME) items.forEach(o -> out.println(qualifiedName(o)));
            else print(null, items, format, withNamespaceColumn, out, clock);
            out.flush();
            return;
        }
        Map<Kind, List<ObjectNode>> byKind = new LinkedHashMap<>();
        for (ObjectNode o : items) byKind.computeIfAbsent(Meta.kind(o), k -> new ArrayList<>()).add(o);
        boolean first = true;
        for (Map.Entry<Kind, List<ObjectNode>> group : byKind.entrySet()) {
            if (!first) out.println();
            first = false;
            out.print(table(group.getKey(), group.getValue(), format == OutputFormat.WIDE, withNamespaceColumn, true, extras, clock));
        }
        out.flush();
    }

    /** kubectl's message for an empty result, printed to stderr: {@code No resources found in default namespace.} */
    public static String noResourcesFound(Kind kind, String namespace, boolean allNamespaces) {
        boolean namespaced = kind == null || kind.namespaced();
        if (namespaced && !allNamespaces && namespace != null) return "No resources found in " + namespace + " namespace.";
        return "No resources found";
    }

    /** {@code pod/web-1}, {@code deployment.apps/web}, {@code ingress.networking.k8s.io/x}. */
    public static String qualifiedName(Kind kind, String name) {
        return kind.qualifiedName(name);
    }

    public static String qualifiedName(ObjectNode obj) {
        return qualifiedName(Meta.kind(obj), Meta.name(obj));
    }

    /** The table text, every line ending in a newline; "" when there are no items. */
    static String table(Kind kind, List<ObjectNode> items, boolean wide, boolean withNamespaceColumn,
                        boolean qualifiedNames, Clock clock) {
        return table(kind, items, wide, withNamespaceColumn, qualifiedNames, TableExtras.NONE, clock);
    }

    static String table(Kind kind, List<ObjectNode> items, boolean wide, boolean withNamespaceColumn,
                        boolean qualifiedNames, TableExtras extras, Clock clock) {
        if (items.isEmpty()) return "";
        KindTable table = KindTable.forKind(kind);
        StringBuilder text = new StringBuilder();
        List<String> headers = new ArrayList<>(table.headers(wide));
        if (withNamespaceColumn) headers.add(0, "NAMESPACE");
        headers.addAll(extras.headers());
        if (!extras.noHeaders()) text.append(String.join("\t", headers)).append('\n');
        for (ObjectNode o : table.sorted(items)) {
            List<String> cells = new ArrayList<>(table.row(o, wide, clock));
            if (qualifiedNames) cells.set(0, qualifiedName(kind, Meta.name(o)));
            if (withNamespaceColumn) cells.add(0, Json.text(o, "metadata.namespace") == null ? "" : Meta.namespace(o));
            cells.addAll(extras.cells(o));
            text.append(String.join("\t", cells)).append('\n');
        }
        return TabWriter.TABLE.format(text.toString());
    }

    /** {@code {"apiVersion":"v1","items":[...],"kind":"List","metadata":{"resourceVersion":""}}}. */
    static ObjectNode list(List<ObjectNode> items) {
        ObjectNode list = Json.object();
        list.put("apiVersion", "v1");
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        list.put("kind", "List");
        list.putObject("metadata").put("resourceVersion", "");
        return list;
    }

    /** An object or list as kubectl's {@code -o json} prints it. */
    public static String toJson(JsonNode node) { return GoJson.pretty(node); }

    /** An object or list as kubectl's {@code -o yaml} prints it. */
    public static String toYaml(JsonNode node) { return KubectlYaml.dump(node); }
}
