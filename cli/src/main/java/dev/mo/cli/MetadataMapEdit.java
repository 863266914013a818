package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * What {@code mo label} and {@code mo annotate} share: the objects come first (KIND NAME...,
 * KIND/NAME..., or a KIND with -l or --all), then the changes ({@code key=value} sets,
 * {@code key-} removes), read as kubectl reads them. Each object is changed with
 * {@link Edits#modify}, so a concurrent writer costs a retry, not a lost update.
 */
abstract class MetadataMapEdit implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--overwrite", description = "Allow changing a key that already has a value")
    boolean overwrite;

    @Option(names = {"-l", "--selector"}, description = "Label selector: change every matching object of the kind")
    String selector;

    @Option(names = "--all", description = "Change every object of the kind in the namespace")
    boolean all;

    @Parameters(description = "KIND NAME... or KIND/NAME..., then KEY=VALUE... and KEY-...")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** The changes a command line asks for: keys to set, in order, and keys to remove. */
    record Changes(Map<String, String> set, Set<String> remove) {}

    /** "label" or "annotation", as kubectl's messages name the map. */
    abstract String noun();

    /** The metadata field changed: "labels" or "annotations". */
    abstract String field();

    /** Reads one {@code key=value}; throws {@link CliError} in kubectl's words when it is malformed. */
    abstract Map.Entry<String, String> parsePair(String pair);

    /** Refuses (in kubectl's words) to change existing values without --overwrite; {@code conflicts} maps key to current value. */
    abstract CliError overwriteRefused(Map<String, String> conflicts);

    /** Prints before the line for an object whose change was worked out, e.g. keys to remove that were not there. */
    void beforeResult(PrintWriter out, Map<String, String> current, Changes changes) {}

    /** The word after KIND/NAME: labeled, annotated, ... */
    abstract String resultWord(ObjectNode before, ObjectNode after);

    @Override
    public Integer call() {
        List<String> resources = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (String a : args) {
            boolean isPair = (a.contains("=") && !a.equals("=")) || (a.endsWith("-") && !a.equals("-"));
            if (isPair) pairs.add(a);
            else if (!pairs.isEmpty()) throw new CliError("all resources must be specified before " + noun() + " changes: " + a);
            else resources.add(a);
        }
        if (resources.isEmpty()) throw new CliError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
        if (pairs.isEmpty()) throw new CliError("at least one " + noun() + " update is required");
        Changes changes = parseChanges(pairs);
        if (all && selector != null) throw new CliError("cannot set --all and --selector at the same time");

        MoClient api = client.client();
        PrintWriter out = spec.commandLine().getOut();
        for (ResourceArgs.Target t : targets(api, resources)) {
            String ns = t.kind().namespaced() ? client.namespaceOrDefault() : null;
            ObjectNode[] before = new ObjectNode[1], after = new ObjectNode[1];
            Edits.modify(api, t.kind(), ns, t.name(), current -> {
                before[0] = current.deepCopy();
                ObjectNode changed = change(current, changes);
                after[0] = changed;
                return changed.equals(before[0]) ? null : changed;
            });
            beforeResult(out, Json.stringMap(before[0], "metadata." + field()), changes);
            out.println(t.kind().qualifiedName(t.name()) + " " + resultWord(before[0], after[0]));
        }
        out.flush();
        return 0;
    }

    private Changes parseChanges(List<String> pairs) {
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> remove = new LinkedHashSet<>();
        for (String p : pairs) {
            if (p.contains("=")) {
                Map.Entry<String, String> e = parsePair(p);
                set.put(e.getKey(), e.getValue());
            } else {
                remove.add(p.substring(0, p.length() - 1));
            }
        }
        List<String> both = remove.stream().filter(set::containsKey).toList();
        if (!both.isEmpty()) throw bothModifiedAndRemoved(both);
        return new Changes(set, remove);
    }

    abstract CliError bothModifiedAndRemoved(List<String> keys);

    /** The objects named, or those of the kind that -l or --all select. */
    private List<ResourceArgs.Target> targets(MoClient api, List<String> resources) {
        List<ResourceArgs.Target> named = ResourceArgs.parse(resources);
        if (selector == null && !all) {
            for (ResourceArgs.Target t : named) {
                if (t.name() == null) throw new CliError("resource(s) were provided, but no name was specified");
            }
            return named;
        }
        if (named.stream().anyMatch(t -> t.name() != null)) throw new CliError("name cannot be provided when a selector is specified");
        List<ResourceArgs.Target> selected = new ArrayList<>();
        for (ResourceArgs.Target t : named) {
            String ns = t.kind().namespaced() ? client.namespaceOrDefault() : null;
            for (ObjectNode o : api.list(t.kind(), ns, selector)) selected.add(new ResourceArgs.Target(t.kind(), Meta.name(o)));
        }
        return selected;
    }

    /** The object with the changes made, or a refusal when a value would change without --overwrite. */
    private ObjectNode change(ObjectNode object, Changes changes) {
        Map<String, String> current = Json.stringMap(object, "metadata." + field());
        if (!overwrite) {
            Map<String, String> conflicts = new java.util.TreeMap<>();
            changes.set().forEach((key, value) -> {
                String old = current.get(key);
                if (old != null && !old.equals(value)) conflicts.put(key, old);
            });
            conflicts.keySet().removeAll(overwritableKeys());
            if (!conflicts.isEmpty()) throw overwriteRefused(conflicts);
        }
        Map<String, String> updated = new LinkedHashMap<>(current);
        changes.remove().forEach(updated::remove);
        updated.putAll(changes.set());
        ObjectNode metadata = Json.objectAt(object, "metadata");
        // An empty map is left out, as the API server stores it.
        if (updated.isEmpty()) {
            metadata.remove(field());
        } else {
            ObjectNode map = metadata.putObject(field());
            updated.forEach(map::put);
        }
        return object;
    }

    /** Keys whose value may change without --overwrite. */
    Set<String> overwritableKeys() { return Set.of(); }
}
