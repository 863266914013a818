package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.cli.output.TopTable;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mo top pods [-n NS | -A] [NAME]} and {@code mo top nodes}: the latest usage the agents reported. */
@Command(name = "top", description = "Display resource (CPU/memory) usage of pods or nodes.",
        subcommands = {TopCommand.Pods.class, TopCommand.Nodes.class})
public final class TopCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    static final String NOT_AVAILABLE = "metrics not available yet";

    @Command(name = "pods", aliases = {"pod", "po"}, description = "Display CPU and memory of pods.")
    static final class Pods implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace")
        boolean allNamespaces;

        @Parameters(arity = "0..1", description = "A pod name")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String ns = allNamespaces ? null : client.namespaceOrDefault();
            ObjectNode list = client.client().call("GET", "/api/metrics/pods"
                    + (ns == null ? "" : "?namespace=" + URLEncoder.encode(ns, StandardCharsets.UTF_8)), null, Duration.ofSeconds(30));
            List<JsonNode> items = new ArrayList<>();
            for (JsonNode p : list.path("items")) {
                if (name == null || name.equals(p.at("/metadata/name").asText())) items.add(p);
            }
            if (items.isEmpty()) {
                if (name != null) throw new CliError("metrics not available yet for pod " + ns + "/" + name);
                throw new CliError(NOT_AVAILABLE);
            }
            spec.commandLine().getOut().println(TopTable.pods(items, allNamespaces));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "nodes", aliases = {"node", "no"}, description = "Display CPU and memory of nodes.")
    static final class Nodes implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            MoClient api = client.client();
            ObjectNode list = api.call("GET", "/api/metrics/nodes", null, Duration.ofSeconds(30));
            List<JsonNode> items = new ArrayList<>();
            list.path("items").forEach(items::add);
            if (items.isEmpty()) throw new CliError(NOT_AVAILABLE);
            Map<String, JsonNode> nodes = new LinkedHashMap<>();
            for (ObjectNode n : api.list(Kind.NODE, null, null)) nodes.put(Meta.name(n), n);
            spec.commandLine().getOut().println(TopTable.nodes(items, nodes));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
