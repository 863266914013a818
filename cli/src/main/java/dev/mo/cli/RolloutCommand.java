package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mo rollout status|history|undo|restart|pause|resume deployment/NAME}: kubectl's
 * rollout commands, with its messages. History and undo read the ReplicaSets the
 * Deployment owns (one per pod template, numbered by {@code deployment.kubernetes.io/revision}).
 */
@Command(name = "rollout", description = "Watch, list, undo, restart, pause and resume Deployment rollouts.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class,
                RolloutCommand.Restart.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
                CommandLine.HelpCommand.class})
public final class RolloutCommand implements Runnable {
    static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
    static final String CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";
    static final String RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";
    static final String TEMPLATE_HASH_LABEL = "pod-template-hash";

    @Spec
    CommandSpec spec;

    @Override
    public void run() { throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand"); }

    /** What every rollout subcommand shares: the client, the one Deployment it acts on, the output. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(description = "deployment/NAME or deployment NAME")
        List<String> args = new ArrayList<>();

        @Spec
        CommandSpec spec;

        String name;
        Kind kind;
        MoClient api;

        /** The kinds this subcommand acts on; kubectl's rollout verbs are Deployment-first. */
        List<Kind> kinds() { return List.of(Kind.DEPLOYMENT); }

        @Override
        public final Integer call() throws Exception {
            ResourceArgs.Target target = Edits.target(args, "rollout " + spec.name(), kinds());
            name = target.name();
            kind = target.kind();
            api = client.client();
            int code = run(spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return code;
        }

        abstract int run(PrintWriter out) throws Exception;

        String ns() { return client.namespaceOrDefault(); }

        String qualified() { return Kind.DEPLOYMENT.qualifiedName(name); }

        /** Changes the Deployment (get, change, replace, retry on conflict). */
        ObjectNode modify(java.util.function.UnaryOperator<ObjectNode> change) {
            return Edits.modify(api, Kind.DEPLOYMENT, ns(), name, change);
        }

        /** The Deployment's ReplicaSets, oldest revision first. */
        List<ObjectNode> replicaSets(ObjectNode deployment) {
            String uid = Meta.uid(deployment);
            return api.list(Kind.REPLICA_SET, ns(), null).stream()
                    .filter(rs -> uid.equals(ObjectService.controllerUid(rs)))
                    .sorted(Comparator.comparingLong(RolloutCommand::revision))
                    .toList();
        }
    }

    static long revision(ObjectNode o) {
        try {
            return Long.parseLong(Meta.annotations(o).getOrDefault(REVISION_ANNOTATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A ReplicaSet's pod template as the Deployment would hold it: without the pod-template-hash label. */
    static ObjectNode templateOf(ObjectNode replicaSet) {
        ObjectNode template = ((ObjectNode) Json.at(replicaSet, "spec.template")).deepCopy();
        JsonNode labels = template.at("/metadata/labels");
        if (labels instanceof ObjectNode l) l.remove(TEMPLATE_HASH_LABEL);
        return template;
    }

    @Command(name = "status", description = "Wait until a Deployment's or StatefulSet's rollout is done, printing its progress.")
    public static final class Status extends Sub {
        @Option(names = "--timeout", description = "How long to wait (e.g. 60s, 5m; 0 means for ever)")
        String timeout = "0s";

        @Option(names = {"-w", "--watch"}, arity = "1", description = "Keep watching until done (default true)")
        boolean watch = true;

        @Override
        List<Kind> kinds() { return List.of(Kind.DEPLOYMENT, Kind.STATEFUL_SET); }

        @Override
        int run(PrintWriter out) throws InterruptedException {
            Duration limit = GoDuration.parse(timeout);
            long deadline = System.nanoTime() + limit.toNanos();
            String last = null;
            while (true) {
                ObjectNode o = api.get(kind, ns(), name);
                Progress p = kind == Kind.STATEFUL_SET ? statefulSetProgress(o) : progress(o);
                if (p.failure() != null) throw new CliError(p.failure());
                if (!p.message().equals(last)) {
                    out.println(p.message());
                    out.flush();
                    last = p.message();
                }
                if (p.done() || !watch) return 0;
                if (!limit.isZero() && System.nanoTime() > deadline) throw new CliError("timed out waiting for the condition");
                Thread.sleep(200);
            }
        }
    }

    /** One look at a Deployment, in the words of kubectl's DeploymentStatusViewer. */
    record Progress(String message, boolean done, String failure) {}

    static Progress progress(ObjectNode d) {
        String name = Meta.name(d);
        int generation = Json.integer(d, "metadata.generation", 1);
        int observed = Json.integer(d, "status.observedGeneration", 0);
        if (generation > observed) return new Progress("Waiting for deployment spec update to be observed...", false, null);
        for (JsonNode c : Json.at(d, "status.conditions")) {
            if ("Progressing".equals(c.path("type").asText()) && "ProgressDeadlineExceeded".equals(c.path("reason").asText())) {
                return new Progress(null, false, "deployment \"" + name + "\" exceeded its progress deadline");
            }
        }
        int desired = Json.integer(d, "spec.replicas", 1);
        int updated = Json.integer(d, "status.updatedReplicas", 0);
        int replicas = Json.integer(d, "status.replicas", 0);
        int available = Json.integer(d, "status.availableReplicas", 0);
        String waiting = "Waiting for deployment \"" + name + "\" rollout to finish: ";
        if (updated < desired) {
            return new Progress(waiting + updated + " out of " + desired + " new replicas have been updated...", false, null);
        }
        if (replicas > updated) {
            return new Progress(waiting + (replicas - updated) + " old replicas are pending termination...", false, null);
        }
        if (available < updated) {
            return new Progress(waiting + available + " of " + updated + " updated replicas are available...", false, null);
        }
        return new Progress("deployment \"" + name + "\" successfully rolled out", true, null);
    }

    /** One look at a StatefulSet, in the words of kubectl's StatefulSetStatusViewer. */
    static Progress statefulSetProgress(ObjectNode s) {
        if (!"RollingUpdate".equals(Json.text(s, "spec.updateStrategy.type"))) {
            return new Progress(null, false, "rollout status is only available for RollingUpdate strategy type");
        }
        int generation = Json.integer(s, "metadata.generation", 1);
        int observed = Json.integer(s, "status.observedGeneration", 0);
        if (observed == 0 || generation > observed) return new Progress("Waiting for statefulset spec update to be observed...", false, null);
        int desired = Json.integer(s, "spec.replicas", 1);
        int ready = Json.integer(s, "status.readyReplicas", 0);
        if (ready < desired) return new Progress("Waiting for " + (desired - ready) + " pods to be ready...", false, null);
        int updated = Json.integer(s, "status.updatedReplicas", 0);
        JsonNode partition = Json.at(s, "spec.updateStrategy.rollingUpdate.partition");
        if (!partition.isMissingNode() && !partition.isNull()) {
            int toUpdate = desired - partition.asInt();
            if (updated < toUpdate) {
                return new Progress("Waiting for partitioned roll out to finish: " + updated + " out of " + toUpdate
                        + " new pods have been updated...", false, null);
            }
            return new Progress("partitioned roll out complete: " + updated + " new pods have been updated...", true, null);
        }
        String updateRevision = Json.text(s, "status.updateRevision");
        if (updateRevision != null && !updateRevision.equals(Json.text(s, "status.currentRevision"))) {
            return new Progress("waiting for statefulset rolling update to complete " + updated + " pods at revision "
                    + updateRevision + "...", false, null);
        }
        return new Progress("statefulset rolling update complete " + Json.integer(s, "status.currentReplicas", 0)
                + " pods at revision " + Json.text(s, "status.currentRevision") + "...", true, null);
    }

    @Command(name = "history", description = "List a Deployment's revisions (its ReplicaSets), or show one.")
    public static final class History extends Sub {
        @Option(names = "--revision", description = "Show the pod template of this revision")
        long revision;

        @Override
        int run(PrintWriter out) {
            List<ObjectNode> sets = replicaSets(api.get(Kind.DEPLOYMENT, ns(), name));
            if (revision > 0) {
                ObjectNode rs = sets.stream().filter(s -> revision(s) == revision).findFirst()
                        .orElseThrow(() -> new CliError("unable to find the specified revision"));
                out.println(qualified() + " with revision #" + revision);
                printTemplate(out, templateOf(rs));
                return 0;
            }
            out.println(qualified());
            out.println("REVISION  CHANGE-CAUSE");
            for (ObjectNode rs : sets) {
                String cause = Meta.annotations(rs).getOrDefault(CHANGE_CAUSE_ANNOTATION, "<none>");
                out.printf("%-10s%s%n", revision(rs), cause);
            }
            out.println();
            return 0;
        }

        private static void printTemplate(PrintWriter out, ObjectNode template) {
            out.println("Pod Template:");
            out.println("  Labels:\t" + pairs(Json.stringMap(template, "metadata.labels"), "\n  \t"));
            Map<String, String> annotations = Json.stringMap(template, "metadata.annotations");
            if (!annotations.isEmpty()) out.println("  Annotations:\t" + pairs(annotations, "\n  \t"));
            out.println("  Containers:");
            for (JsonNode c : Json.at(template, "spec.containers")) {
                out.println("   " + c.path("name").asText() + ":");
                out.println("    Image:\t" + c.path("image").asText());
            }
        }

        private static String pairs(Map<String, String> m, String sep) {
            if (m.isEmpty()) return "<none>";
            List<String> out = new ArrayList<>();
            m.forEach((k, v) -> out.add(k + "=" + v));
            return String.join(sep, out);
        }
    }

    @Command(name = "undo", description = "Roll a Deployment back to its previous revision (or --to-revision).")
    public static final class Undo extends Sub {
        @Option(names = "--to-revision", description = "The revision to go back to (default: the previous one)")
        long toRevision;

        @Override
        int run(PrintWriter out) {
            long[] target = new long[1];
            ObjectNode written = modify(d -> {
                if (d.at("/spec/paused").asBoolean(false)) {
                    throw new CliError("you cannot rollback a paused deployment; resume it first with"
                            + " 'mo rollout resume " + qualified() + "' and try again");
                }
                List<ObjectNode> sets = replicaSets(d);
                ObjectNode rs;
                if (toRevision > 0) {
                    rs = sets.stream().filter(s -> revision(s) == toRevision).findFirst()
                            .orElseThrow(() -> new CliError("unable to find specified revision " + toRevision + " in history"));
                } else {
                    if (sets.size() < 2) throw new CliError("no rollout history found for deployment \"" + name + "\"");
                    rs = sets.get(sets.size() - 2);
                }
                target[0] = revision(rs);
                ObjectNode template = templateOf(rs);
                if (template.equals(Json.at(d, "spec.template"))) return null;
                ((ObjectNode) d.get("spec")).set("template", template);
                String cause = Meta.annotations(rs).get(CHANGE_CAUSE_ANNOTATION);
                if (cause != null) Json.objectAt(d, "metadata.annotations").put(CHANGE_CAUSE_ANNOTATION, cause);
                return d;
            });
            out.println(written == null
                    ? qualified() + " skipped rollback (current template already matches revision " + target[0] + ")"
                    : qualified() + " rolled back");
            return 0;
        }
    }

    @Command(name = "restart", description = "Replace every pod of a Deployment with a new one, a few at a time.")
    public static final class Restart extends Sub {
        @Override
        int run(PrintWriter out) {
            String now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            modify(d -> {
                if (d.at("/spec/paused").asBoolean(false)) {
                    throw new CliError("deployments.apps \"" + name + "\" can't restart paused deployment (run rollout resume first)");
                }
                Json.objectAt(d, "spec.template.metadata.annotations").put(RESTARTED_AT_ANNOTATION, now);
                return d;
            });
            out.println(qualified() + " restarted");
            return 0;
        }
    }

    /** Pause and resume: set spec.paused, refusing when it already has that value. */
    abstract static class SetPaused extends Sub {
        abstract boolean paused();

        @Override
        int run(PrintWriter out) {
            modify(d -> {
                if (d.at("/spec/paused").asBoolean(false) == paused()) {
                    throw new CliError("deployments.apps \"" + name + "\" " + (paused() ? "is already paused" : "is not paused"));
                }
                if (paused()) ((ObjectNode) d.get("spec")).put("paused", true);
                else ((ObjectNode) d.get("spec")).remove("paused");
                return d;
            });
            out.println(qualified() + (paused() ? " paused" : " resumed"));
            return 0;
        }
    }

    @Command(name = "pause", description = "Stop a Deployment from rolling out changes to its pod template.")
    public static final class Pause extends SetPaused {
        @Override
        boolean paused() { return true; }
    }

    @Command(name = "resume", description = "Let a paused Deployment roll out again.")
    public static final class Resume extends SetPaused {
        @Override
        boolean paused() { return false; }
    }
}
