package dev.mo.cli;

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
import java.util.concurrent.Callable;

/**
 * {@code mo delete}: by manifest ({@code -f}), {@code KIND NAME...}, {@code KIND/NAME}, or
 * {@code KIND -l SELECTOR} / {@code KIND --all}. Like kubectl it waits until what it deleted
 * is really gone (pods once their containers have stopped, namespaces once emptied, claims
 * once no pod uses them); {@code --wait=false} returns at once.
 */
@Command(name = "delete", description = "Delete objects by file, KIND NAME, KIND/NAME or KIND -l SELECTOR; waits until they are gone.")
public final class DeleteCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--filename"}, description = "Delete what these manifests describe")
    List<String> files;

    @Option(names = {"-R", "--recursive"})
    boolean recursive;

    @Option(names = "--wait", arity = "1", description = "Wait until the objects are gone (default true)")
    boolean waitForGone = true;

    @Option(names = "--timeout", description = "How long to wait, in seconds (default 300)")
    long timeoutSeconds = 300;

    @Option(names = "--ignore-not-found")
    boolean ignoreNotFound;

    @Option(names = {"-l", "--selector"}, description = "Delete the objects of KIND with these labels, e.g. app=web")
    String selector;

    @Option(names = "--all", description = "Delete every object of KIND in the namespace")
    boolean all;

    @Parameters(description = "KIND NAME..., or KIND/NAME...")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private record Target(Kind kind, String namespace, String name) {}

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        MoClient api = client.client();
        List<Target> targets = new ArrayList<>();
        if (files != null) {
            for (ObjectNode o : ApplyCommand.load(files, recursive, client.namespace, spec.commandLine().getErr())) {
                Kind kind = Meta.kind(o);
                targets.add(new Target(kind, kind.namespaced() ? orDefault(Meta.namespace(o)) : null, Meta.name(o)));
            }
        } else if (selector != null || all) {
            if (!byLabels(api, targets)) return 0;
        } else {
            if (args == null || args.isEmpty()) {
                throw new CliError("you must provide one or more resources by argument or filename"
                        + " (e.g. -f app.yaml, deployment web, deployment/web, pods -l app=web)");
            }
            for (ResourceArgs.Target t : ResourceArgs.parse(args)) {
                if (t.name() == null) throw new CliError("resource(s) were provided, but no name was specified");
                targets.add(new Target(t.kind(), t.kind().namespaced() ? client.namespaceOrDefault() : null, t.name()));
            }
        }
        if (targets.isEmpty()) throw new CliError("you must provide one or more resources by argument or filename");
        // By uid, as kubectl waits: a StatefulSet's pod comes back under the same name at once.
        java.util.Map<Target, String> deleted = new java.util.LinkedHashMap<>();
        int missing = 0;
        for (Target t : targets) {
            try {
                ObjectNode gone = api.delete(t.kind(), t.namespace(), t.name());
                out.println(t.kind().singularWithGroup() + " \"" + t.name() + "\" deleted");
                deleted.put(t, Json.text(gone, "metadata.uid"));
            } catch (ApiError e) {
                if (e.status() != 404) throw e;
                if (!ignoreNotFound) {
                    spec.commandLine().getErr().println("Error from server (NotFound): " + e.getMessage());
                    missing++;
                }
            }
        }
        out.flush();
        if (waitForGone) waitUntilGone(api, deleted);
        return missing > 0 ? 1 : 0;
    }

    /**
     * The objects of the kinds in {@code args} that the selector (or {@code --all}) picks, as
     * targets; false, after kubectl's {@code No resources found} on stderr, when there are none.
     */
    private boolean byLabels(MoClient api, List<Target> targets) {
        List<ResourceArgs.Target> kinds = ResourceArgs.parse(args);
        if (kinds.stream().anyMatch(t -> t.name() != null)) {
            throw new CliError("name cannot be provided when a selector is specified");
        }
        for (ResourceArgs.Target t : kinds) {
            String ns = t.kind().namespaced() ? client.namespaceOrDefault() : null;
            for (ObjectNode o : api.list(t.kind(), ns, selector)) targets.add(new Target(t.kind(), ns, Meta.name(o)));
        }
        if (targets.isEmpty()) spec.commandLine().getErr().println("No resources found");
        return !targets.isEmpty();
    }

    private void waitUntilGone(MoClient api, java.util.Map<Target, String> deleted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        for (var entry : deleted.entrySet()) {
            Target t = entry.getKey();
            while (exists(api, t, entry.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new CliError("timed out waiting for " + t.kind().plural() + "/" + t.name() + " to be deleted");
                }
                Thread.sleep(200);
            }
        }
    }

    /** The object with that uid is still there (a new one under the same name does not count). */
    private static boolean exists(MoClient api, Target t, String uid) {
        try {
            ObjectNode o = api.get(t.kind(), t.namespace(), t.name());
            return uid == null || uid.equals(Json.text(o, "metadata.uid"));
        } catch (ApiError e) {
            if (e.status() == 404) return false;
            throw e;
        }
    }

    private String orDefault(String ns) { return ns != null ? ns : client.namespaceOrDefault(); }
}
