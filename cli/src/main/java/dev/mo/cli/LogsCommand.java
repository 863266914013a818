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

/** {@code mo logs [-f] [--tail N] [-c CONTAINER] POD | deployment/NAME}: a container's output. */
@Command(name = "logs", description = "Print a container's logs: POD, or deployment/NAME (one of its pods).")
public final class LogsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--follow"}, description = "Keep streaming new output")
    boolean follow;

    @Option(names = "--tail", description = "Lines from the end to show (default: all)")
    Integer tail;

    @Option(names = {"-c", "--container"}, description = "Container name (default: the first)")
    String container;

    @Parameters(index = "0", description = "POD or deployment/NAME")
    String target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MoClient api = client.client();
        String ns = client.namespaceOrDefault();
        String pod = resolvePod(api, ns);
        PrintWriter writer = spec.commandLine().getOut();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) { writer.write(b); }

            @Override
            public void write(byte[] b, int off, int len) {
                writer.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() { writer.flush(); }
        };
        api.logs(ns, pod, container, follow, tail, out);
        writer.flush();
        return 0;
    }

    /** A pod name as given, or one pod of {@code deployment/NAME} (the oldest, as kubectl picks a stable one). */
    private String resolvePod(MoClient api, String ns) {
        int slash = target.indexOf('/');
        if (slash < 0) return target;
        Kind kind = ResourceArgs.kind(target.substring(0, slash));
        String name = target.substring(slash + 1);
        if (kind == Kind.POD) return name;
        if (kind != Kind.DEPLOYMENT && kind != Kind.REPLICA_SET && kind != Kind.STATEFUL_SET) {
            throw new CliError("cannot get logs of " + kind.plural() + ": use a pod, deployment, replicaset or statefulset");
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
