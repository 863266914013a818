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
 * {@code mo cordon}, {@code mo uncordon} and {@code mo drain}: taking a node out of service
 * to patch or reboot it, as kubectl does them. Cordoning sets the node's
 * {@code spec.unschedulable}, so the scheduler places no new pod there; draining cordons it
 * and then evicts its pods (a graceful delete: each leaves the Endpoints first, then gets its
 * SIGTERM and grace period), so their controllers recreate them on other nodes.
 */
final class NodeCommands {
    private NodeCommands() {}

    /** Sets spec.unschedulable; prints kubectl's {@code node/NAME cordoned} or {@code already cordoned}. */
    static void setUnschedulable(MoClient api, String node, boolean unschedulable, PrintWriter out) {
        ObjectNode written = Edits.modify(api, Kind.NODE, null, node, n -> {
            if (Json.at(n, "spec.unschedulable").asBoolean(false) == unschedulable) return null;
            if (unschedulable) Json.objectAt(n, "spec").put("unschedulable", true);
            else Json.objectAt(n, "spec").remove("unschedulable");
            return n;
        });
        String verb = unschedulable ? "cordoned" : "uncordoned";
        out.println("node/" + node + (written == null ? " already " : " ") + verb);
        out.flush();
    }

    /** Cordon and uncordon differ only in the value they set. */
    abstract static class SetSchedulable implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "NODE") String node;
        @Spec CommandSpec spec;

        abstract boolean unschedulable();

        @Override
        public Integer call() {
            setUnschedulable(client.client(), node, unschedulable(), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "cordon", description = "Mark a node unschedulable: no new pods are placed on it.")
    static final class Cordon extends SetSchedulable {
        @Override boolean unschedulable() { return true; }
    }

    @Command(name = "uncordon", description = "Mark a node schedulable again.")
    static final class Uncordon extends SetSchedulable {
        @Override boolean unschedulable() { return false; }
    }

    @Command(name = "drain", description = "Cordon a node and evict its pods, so that it can be patched or rebooted.")
    static final class Drain implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "NODE") String node;

        @Option(names = "--force", description = "Also delete pods that no controller owns (they are not recreated)")
        boolean force;

        @Option(names = "--ignore-daemonsets", description = "Leave DaemonSet-managed pods running")
        boolean ignoreDaemonSets;

        @Option(names = "--delete-emptydir-data", description = "Also evict pods with emptyDir volumes (their data is lost)")
        boolean deleteEmptyDirData;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Give up after this long (default 0: wait as long as it takes)")
        String timeout = "0s";

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            MoClient api = client.client();
            Duration limit = GoDuration.parse(timeout);
            long deadline = limit.isZero() ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            setUnschedulable(api, node, true, out);
            List<ObjectNode> all = api.list(Kind.POD, null, null);
            List<ObjectNode> onNode = all.stream().filter(p -> node.equals(Json.text(p, "spec.nodeName"))).toList();
            DrainPlan plan = DrainPlan.of(node, onNode, all,
                    new DrainPlan.Options(force, ignoreDaemonSets, deleteEmptyDirData));
            if (!plan.refusals().isEmpty()) {
                throw new CliError("unable to drain node \"" + node + "\" due to error: "
                        + String.join(", ", plan.refusals()) + "; the node stays cordoned");
            }
            for (ObjectNode p : plan.ignored()) out.println("Warning: ignoring DaemonSet-managed Pods: " + ref(p));
            evict(api, plan.evictNow(), out);
            waitGone(api, plan.evictNow(), deadline);
            if (!plan.evictAfterReplacement().isEmpty()) {
                waitForReplacements(api, plan.evictAfterReplacement(), deadline);
                evict(api, plan.evictAfterReplacement(), out);
                waitGone(api, plan.evictAfterReplacement(), deadline);
            }
            out.println("node/" + node + " drained");
            out.flush();
            return 0;
        }

        private static void evict(MoClient api, List<ObjectNode> pods, PrintWriter out) {
            for (ObjectNode p : pods) {
                out.println("evicting pod " + ref(p));
                out.flush();
                try {
                    api.delete(Kind.POD, Meta.namespace(p), Meta.name(p));
                } catch (ApiError e) {
                    if (e.status() != 404) throw e; // gone already: what eviction wanted
                }
            }
        }

        /** kubectl prints {@code pod/NAME evicted} once the pod is gone, not when its deletion starts. */
        private void waitGone(MoClient api, List<ObjectNode> pods, long deadline) throws InterruptedException {
            List<ObjectNode> left = new ArrayList<>(pods);
            while (!left.isEmpty()) {
                left.removeIf(p -> {
                    boolean gone = api.list(Kind.POD, Meta.namespace(p), null).stream()
                            .noneMatch(q -> Meta.uid(q).equals(Meta.uid(p)));
                    if (gone) spec.commandLine().getOut().println("pod/" + Meta.name(p) + " evicted");
                    return gone;
                });
                spec.commandLine().getOut().flush();
                if (left.isEmpty()) return;
                if (System.nanoTime() > deadline) throw timedOut(left);
                Thread.sleep(200);
            }
        }

        /** Before the rest of an owner's pods go: one of its pods is ready on another node. */
        private void waitForReplacements(MoClient api, List<ObjectNode> waiting, long deadline) throws InterruptedException {
            for (ObjectNode p : waiting) {
                while (!DrainPlan.readyElsewhere(node, DrainPlan.ownerUid(p), api.list(Kind.POD, Meta.namespace(p), null))) {
                    if (System.nanoTime() > deadline) throw timedOut(waiting);
                    Thread.sleep(200);
                }
            }
        }

        private CliError timedOut(List<ObjectNode> pods) {
            return new CliError("drain did not complete within " + timeout + ": pods left on node " + node + ": "
                    + String.join(", ", pods.stream().map(NodeCommands::ref).toList()));
        }
    }

    static String ref(ObjectNode pod) {
        return Meta.namespace(pod) + "/" + Meta.name(pod);
    }
}
