package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.controlplane.ApiError;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mo wait --for=... KIND NAME... | KIND/NAME... | KIND -l SEL | KIND --all}: kubectl's wait.
 * The objects are waited on one after the other, each with the whole --timeout (as kubectl does),
 * and each is reported ("pod/web-1 condition met") as soon as it meets the condition.
 *
 * <p>mo's API has no watch yet, so the objects are polled; a short interval keeps the reaction
 * quick, and a get per interval is cheap for the control plane.
 */
@Command(name = "wait", description = "Wait for a specific condition on one or many objects.",
        footerHeading = "%nConditions (--for):%n",
        footer = {
                "  condition=Ready[=true|false]   a status condition; type and value are compared",
                "                                 ignoring case, the value defaults to true",
                "  delete                         the objects to be gone (one already gone: met)",
                "  jsonpath='{.status.phase}'=Running",
                "                                 a field's value (or, without =VALUE, that it is",
                "                                 set); mo takes simple dotted paths only: no",
                "                                 filters, indexes or wildcards",
                "Prints \"KIND/NAME condition met\" for each object as it meets the condition."})
public final class WaitCommand implements Callable<Integer> {
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** kubectl: "negative means wait for a week". */
    static final Duration A_WEEK = Duration.ofDays(7);

    @Mixin
    ClientOptions client;

    @Option(names = "--for", paramLabel = "CONDITION",
            description = "delete, condition=NAME[=VALUE] (VALUE defaults to true) or jsonpath='{.a.b}'[=VALUE]")
    String forCondition = "";

    @Option(names = "--timeout", description = "How long to wait for each object (default 30s). Zero means check once and"
            + " don't wait, negative means wait for a week.")
    String timeout = "30s";

    @Option(names = {"-l", "--selector"}, description = "Label selector, e.g. app=web,tier!=db")
    String selector;

    @Option(names = "--all", description = "Every object of the given kinds in the namespace")
    boolean all;

    @Parameters(description = "KIND NAME..., KIND/NAME..., or KIND with -l or --all")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** What is waited for: tells, from the latest read of an object (null once it is gone), whether it is met. */
    interface Condition {
        boolean metBy(ObjectNode current, String uidAtStart);

        default boolean isDelete() { return false; }
    }

    @Override
    public Integer call() throws InterruptedException {
        Condition condition = parseCondition(forCondition);
        Duration limit = parseTimeout(timeout);
        List<ResourceArgs.Target> targets = targets();
        MoClient api = client.client();
        String ns = client.namespaceOrDefault();
        PrintWriter out = spec.commandLine().getOut();

        int matched = 0;
        for (ResourceArgs.Target t : targets) {
            String objectNs = t.kind().namespaced() ? ns : null;
            List<String> names = new ArrayList<>();
            if (t.name() != null) {
                names.add(t.name());
            } else {
                api.list(t.kind(), objectNs, all ? null : selector).forEach(o -> names.add(Meta.name(o)));
            }
            for (String name : names) {
                ObjectNode first = read(api, t.kind(), objectNs, name, condition);
                // kubectl skips a named object that is not there when waiting for its deletion.
                if (first == null) continue;
                matched++;
                waitFor(api, t.kind(), objectNs, name, Meta.uid(first), condition, limit);
                out.println(t.kind().qualifiedName(name) + " condition met");
                out.flush();
            }
        }
        if (matched == 0 && !condition.isDelete()) throw new CliError("no matching resources found");
        return 0;
    }

    /** Polls one object until it meets the condition, or fails with kubectl's timeout message. */
    private static void waitFor(MoClient api, Kind kind, String ns, String name, String uid, Condition condition,
                                Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.metBy(read(api, kind, ns, name, condition), uid)) return;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new CliError("timed out waiting for the condition on " + kind.plural() + "/" + name);
            Thread.sleep(Math.max(1, Math.min(POLL_INTERVAL.toMillis(), left / 1_000_000)));
        }
    }

    /** The object now; null when it is gone and that is what is waited for (else the NotFound is the error). */
    private static ObjectNode read(MoClient api, Kind kind, String ns, String name, Condition condition) {
        try {
            return api.get(kind, ns, name);
        } catch (ApiError e) {
            if (e.status() == 404 && condition.isDelete()) return null;
            throw e;
        }
    }

    /** The objects named on the command line, with kubectl's resource builder's refusals. */
    private List<ResourceArgs.Target> targets() {
        if (args.isEmpty()) {
            throw new CliError("You must provide one or more resources by argument or filename.\n"
                    + "Example resource specifications include:\n"
                    + "   '-f rsrc.yaml'\n"
                    + "   '--filename=rsrc.json'\n"
                    + "   '<resource> <name>'\n"
                    + "   '<resource>'");
        }
        List<ResourceArgs.Target> targets = ResourceArgs.parse(args);
        boolean named = targets.stream().anyMatch(t -> t.name() != null);
        if (named && selector != null) throw new CliError("name cannot be provided when a selector is specified");
        if (named && all) throw new CliError("name cannot be provided when a selector is specified");
        if (!named && selector == null && !all) throw new CliError("resource(s) were provided, but no name was specified");
        return targets;
    }

    static Duration parseTimeout(String text) {
        if (text.trim().startsWith("-")) return A_WEEK;
        return GoDuration.parse(text);
    }

    /** --for as kubectl reads it: "delete", "condition=NAME[=VALUE]", "jsonpath={PATH}[=VALUE]". */
    static Condition parseCondition(String given) {
        if (given.toLowerCase(Locale.ROOT).equals("delete")) {
            return new Condition() {
                @Override
                public boolean metBy(ObjectNode current, String uidAtStart) {
                    // Gone, or gone and made again under the same name (another uid).
                    return current == null || (uidAtStart != null && !uidAtStart.equals(Meta.uid(current)));
                }

                @Override
                public boolean isDelete() { return true; }
            };
        }
        if (given.startsWith("condition=")) {
            String name = given.substring("condition=".length());
            String value = "true";
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            String type = name, wanted = value;
            return (current, uid) -> conditionMet(current, type, wanted);
        }
        if (given.startsWith("jsonpath=")) return jsonPath(given.substring("jsonpath=".length()));
        if (given.equalsIgnoreCase("create")) throw new CliError("--for=create is not supported by mo yet");
        throw new CliError("unrecognized condition: \"" + given + "\"");
    }

    /**
     * kubectl's ConditionalWait: the first status condition of that type (ignoring case) decides,
     * its status compared ignoring case; a condition written for an older generation of the
     * object does not count yet.
     */
    static boolean conditionMet(ObjectNode o, String type, String wanted) {
        for (JsonNode c : Json.at(o, "status.conditions")) {
            if (!c.path("type").isTextual() || !c.path("type").asText().equalsIgnoreCase(type)) continue;
            if (!c.path("status").isTextual()) continue;
            JsonNode generation = Json.at(o, "metadata.generation");
            if (generation.isNumber()) {
                JsonNode observed = c.has("observedGeneration") ? c.get("observedGeneration") : Json.at(o, "status.observedGeneration");
                if (observed.isNumber() && observed.asLong() < generation.asLong()) return false;
            }
            return c.path("status").asText().equalsIgnoreCase(wanted);
        }
        return false;
    }

    /**
     * {@code {.status.phase}=Running} (or without the braces): met when the field holds that value,
     * compared exactly as kubectl does; without {@code =VALUE}, when the field is set. Only simple
     * dotted paths: kubectl's full JSONPath (filters, indexes, wildcards) is not supported.
     */
    static Condition jsonPath(String expressionAndValue) {
        String expression = expressionAndValue, value = null;
        int close = expressionAndValue.indexOf('}');
        int equals = expressionAndValue.indexOf('=', close < 0 ? 0 : close);
        if (equals >= 0) {
            expression = expressionAndValue.substring(0, equals);
            value = expressionAndValue.substring(equals + 1);
            if (value.isEmpty()) throw new CliError("jsonpath wait value cannot be empty");
        }
        String path = expression.trim();
        if (path.startsWith("{") && path.endsWith("}")) path = path.substring(1, path.length() - 1);
        if (!path.matches("(\\.[A-Za-z_][A-Za-z0-9_-]*)+")) {
            throw new CliError("jsonpath expression \"" + expression + "\" is not supported: mo takes simple dotted"
                    + " paths such as {.status.phase}, without filters, indexes or wildcards");
        }
        String dotted = path.substring(1);
        String wanted = value;
        return (current, uid) -> {
            JsonNode found = Json.at(current, dotted);
            if (found.isMissingNode() || found.isNull()) return false;
            if (wanted == null) return !(found.isContainerNode() && found.isEmpty());
            if (found.isContainerNode()) {
                throw new CliError("jsonpath leads to a nested object or list which is not supported");
            }
            return found.asText().equals(wanted);
        };
    }
}
