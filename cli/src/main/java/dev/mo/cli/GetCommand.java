package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.cli.output.OutputFormat;
import dev.mo.cli.output.ResourcePrinter;
import dev.mo.cli.output.TableExtras;
import dev.mo.controlplane.ApiError;
import dev.mo.model.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code mo get}: lists or shows objects with kubectl's columns, or as name, JSON or YAML. */
@Command(name = "get", description = "Show objects: KIND[,KIND...] [NAME...], KIND/NAME..., or all.")
public final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace")
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, description = "Label selector, e.g. app=web,tier!=db")
    String selector;

    @Option(names = {"-o", "--output"}, description = "wide, name, json or yaml")
    String output;

    @Option(names = "--no-headers", description = "Tables without their header row")
    boolean noHeaders;

    @Option(names = "--show-labels", description = "A last column with each object's labels")
    boolean showLabels;

    @Option(names = {"-L", "--label-columns"}, split = ",", paramLabel = "KEY",
            description = "A column for each of these label keys (-L app,tier or -L app -L tier)")
    List<String> labelColumns = new ArrayList<>();

    @Parameters(description = "What to show")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OutputFormat format = OutputFormat.parse(output);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ResourceArgs.Target> targets = ResourceArgs.parse(args);
        MoClient api = client.client();
        String ns = allNamespaces ? null : client.namespaceOrDefault();
        Clock clock = Clock.systemUTC();
        TableExtras extras = new TableExtras(noHeaders, showLabels, labelColumns);

        if (targets.stream().allMatch(t -> t.name() == null)) {
            List<ObjectNode> items = new ArrayList<>();
            for (ResourceArgs.Target t : targets) items.addAll(api.list(t.kind(), ns, selector));
            Kind only = targets.size() == 1 ? targets.get(0).kind() : null;
            if (items.isEmpty() && format.isTable()) {
                err.println(ResourcePrinter.noResourcesFound(only, ns, allNamespaces));
            } else if (only != null) {
                ResourcePrinter.print(only, items, format, allNamespaces && only.namespaced(), extras, out, clock);
            } else {
                ResourcePrinter.printMixed(items, format, allNamespaces, extras, out, clock);
            }
            return 0;
        }

        List<ObjectNode> found = new ArrayList<>();
        int missing = 0;
        for (ResourceArgs.Target t : targets) {
            try {
                found.add(api.get(t.kind(), t.kind().namespaced() ? client.namespaceOrDefault() : null, t.name()));
            } catch (ApiError e) {
                if (e.status() != 404) throw e;
                err.println("Error from server (NotFound): " + e.getMessage());
                missing++;
            }
        }
        Set<Kind> kinds = new LinkedHashSet<>();
        targets.forEach(t -> kinds.add(t.kind()));
        if (found.size() == 1 && targets.size() == 1) {
            ResourcePrinter.printObject(found.get(0), format, extras, out, clock);
        } else if (kinds.size() == 1) {
            ResourcePrinter.print(kinds.iterator().next(), found, format, false, extras, out, clock);
        } else if (!found.isEmpty()) {
            ResourcePrinter.printMixed(found, format, false, extras, out, clock);
        }
        err.flush();
        return missing > 0 ? 1 : 0;
    }
}
