package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mo logs [-f] [--tail N] [-c CONTAINER] POD | deployment/NAME | -l SELECTOR}: a
 * container's output. With a selector, as kubectl: every matching pod's, one after the
 * other, or side by side when following.
 */
@Command(name = "logs", description = "Print a container's logs: POD, deployment/NAME (one of its pods), or -l SELECTOR (each matching pod).")
public final class LogsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--follow"}, description = "Keep streaming new output")
    boolean follow;

    @Option(names = "--tail", description = "Lines from the end to show (default: all; 10 per pod with -l, as kubectl)")
    Integer tail;

    @Option(names = {"-c", "--container"}, description = "Container name (default: the first)")
    String container;

    @Option(names = {"-l", "--selector"}, description = "Every pod with these labels, e.g. app=web")
    String selector;

    @Option(names = "--max-log-requests", description = "With -l and -f: at most this many pods are followed (default 5)")
    int maxLogRequests = 5;

    @Parameters(index = "0", arity = "0..1", description = "POD or deployment/NAME")
    String target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        MoClient api = client.client();
        String ns = client.namespaceOrDefault();
        if ((target == null) == (selector == null)) {
            throw new CliError("give either a pod (POD or deployment/NAME) or a selector (-l), not both or neither");
        }
        List<String> pods = target != null ? List.of(resolvePod(api, ns)) : selectedPods(api, ns);
        if (selector != null && tail == null) tail = 10; // kubectl's default with a selector
        PrintWriter writer = spec.commandLine().getOut();
        if (!follow || pods.size() == 1) {
            for (String pod : pods) api.logs(ns, pod, container, follow, tail, to(writer));
        } else {
            // Following never ends: one stream per pod, side by side.
            List<Thread> streams = new java.util.ArrayList<>();
            for (String pod : pods) {
                Thread t = new Thread(() -> api.logs(ns, pod, container, true, tail, to(writer)), "logs-" + pod);
                t.setDaemon(true);
                t.start();
                streams.add(t);
            }
            for (Thread t : streams) t.join();
        }
        writer.flush();
        return 0;
    }

    /** The pods {@code -l} selects, by name; kubectl's limit on how many are followed at once. */
    private List<String> selectedPods(MoClient api, String ns) {
        List<String> pods = api.list(Kind.POD, ns, selector).stream().filter(p -> !Meta.deleting(p))
                .map(Meta::name).sorted().toList();
        if (pods.isEmpty()) {
            spec.commandLine().getErr().println("No resources found in " + ns + " namespace.");
        }
        if (follow && pods.size() > maxLogRequests) {
            throw new CliError("you are attempting to follow " + pods.size() + " log streams, but maximum allowed"
                    + " concurrency is " + maxLogRequests + ", use --max-log-requests to increase the limit");
        }
        return pods;
    }

    /** A stream of log bytes into the command's writer (shared by several streams when following). */
    private static OutputStream to(PrintWriter writer) {
        return new OutputStream() {
            @Override
            public void write(int b) { writer.write(b); }

            @Override
            public void write(byte[] b, int off, int len) {
                writer.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() { writer.flush(); }
        };
    }

    /**
     * A pod name as given, or one pod of {@code deployment/NAME} or {@code job/NAME} (the oldest, as kubectl
     * picks a stable one). A Job's finished pods count: their logs are what one usually wants.
     */
    private String resolvePod(MoClient api, String ns) {
        int slash = target.indexOf('/');
        if (slash < 0) return target;
        Kind kind = ResourceArgs.kind(target.substring(0, slash));
        String name = target.substring(slash + 1);
        if (kind == Kind.POD) return name;
        if (kind != Kind.DEPLOYMENT && kind != Kind.REPLICA_SET && kind != Kind.STATEFUL_SET && kind != Kind.JOB) {
            throw new CliError("cannot get logs of " + kind.plural() + ": use a pod, deployment, replicaset, statefulset or job");
        }
        ObjectNode owner = api.get(kind, ns, name);
        LabelSelector selector = LabelSelector.fromJson(Json.at(owner, "spec.selector"));
        List<ObjectNode> pods = api.list(Kind.POD, ns, null).stream()
                .filter(p -> selector.matches(Meta.labels(p)) && !Meta.deleting(p))
                .sorted(Comparator.comparing(p -> Json.text(p, "metadata.creationTimestamp")))
                .toList();
        if (pods.isEmpty()) throw new CliError("no pods found for " + target);
        if (pods.size() > 1) {
            spec.commandLine().getErr().println("Found " + pods.size() + " pods, using pod/" + Meta.name(pods.get(0)));
        }
        return Meta.name(pods.get(0));
    }
}
