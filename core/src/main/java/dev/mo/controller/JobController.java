package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.EventRecorder;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Jobs;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import dev.mo.store.Change;
import dev.mo.store.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job → Pods, as Kubernetes' job controller (pkg/controller/job) runs a batch/v1 Job: up to
 * {@code parallelism} pods at a time until {@code completions} of them have succeeded (with
 * {@code completionMode: Indexed}, one success per index 0..completions-1), each new pod after
 * a failure waiting the pod failure back-off. More failures than {@code backoffLimit}, or a run
 * longer than {@code activeDeadlineSeconds}, fail the Job and delete its running pods.
 * {@code suspend} deletes the running pods until it is lifted; {@code ttlSecondsAfterFinished}
 * deletes the finished Job, and the garbage collector its pods.
 *
 * <p>Succeeded and failed pods are counted from the finished pods the Job still owns; the counts
 * in the status never go down, so a finished pod deleted by hand is not made again. (Kubernetes
 * counts each pod exactly once through a finalizer on it; a pod that fails and is then deleted by
 * hand before a pass has seen it is not counted here.)
 */
public final class JobController implements Controller {
    static final String COMPONENT = "job-controller";

    /** Kubernetes' pod failure back-off (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff). */
    static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    private final ObjectService objects;
    private final FailedSyncs failedSyncs;
    /** When this controller first saw a failed pod that reports no finish time: its back-off starts then. */
    private final Map<String, Instant> failureFirstSeen = new ConcurrentHashMap<>();

    public JobController(ObjectService objects) {
        this.objects = objects;
        this.failedSyncs = new FailedSyncs(objects, COMPONENT);
    }

    @Override
    public String name() { return "job"; }

    @Override
    public void reconcile() {
        Map<String, List<ObjectNode>> podsByOwner = ObjectService.byOwnerUid(objects.store().list(Kind.POD, null));
        failedSyncs.syncEach(objects.store().list(Kind.JOB, null), job -> {
            if (Meta.deleting(job)) return;
            sync(job, podsByOwner.getOrDefault(Meta.uid(job), List.of()));
        });
    }

    /**
     * The delay before a new pod after {@code failures} pod failures in a row (since the last
     * success): 10 s, doubling with each further failure, at most 6 minutes. One failure → 10 s,
     * two → 20 s, three → 40 s, ... six → 320 s, seven and more → 360 s.
     */
    static Duration failureBackoff(int failures) {
        if (failures <= 0) return Duration.ZERO;
        // 10 s << 6 = 640 s is past the cap already; stopping the shift there keeps it from overflowing
        Duration delay = BACKOFF_BASE.multipliedBy(1L << Math.min(failures - 1, 6));
        return delay.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay;
    }

    private void sync(ObjectNode job, List<ObjectNode> pods) {
        Instant now = objects.clock().instant();
        if (Jobs.finished(job)) {
            // a Failed Job's pods were deleted when it failed; a pod made in a race goes now
            deletePods(job, pods.stream().filter(Pods::isActive).toList());
            deleteWhenTtlPassed(job, now);
            return;
        }
        ObjectNode spec = (ObjectNode) job.get("spec");
        boolean indexed = "Indexed".equals(Json.text(job, "spec.completionMode"));
        JsonNode completionsNode = Json.at(job, "spec.completions");
        Integer completions = completionsNode.isNumber() ? completionsNode.asInt() : null; // null: a work queue
        int parallelism = Json.integer(job, "spec.parallelism", 1);
        int backoffLimit = Json.integer(job, "spec.backoffLimit", 6);
        boolean suspended = spec.path("suspend").asBoolean(false);

        List<ObjectNode> active = pods.stream().filter(Pods::isActive).toList();
        List<ObjectNode> succeededPods = pods.stream().filter(p -> "Succeeded".equals(Json.text(p, "status.phase"))).toList();
        // A pod stopped because it was deleted (suspend, fewer parallel pods, a finished Job) did not fail at its work.
        List<ObjectNode> failedPods = pods.stream()
                .filter(p -> "Failed".equals(Json.text(p, "status.phase")) && !Meta.deleting(p)).toList();

        Set<Integer> completedIndexes = indexed ? parseIndexes(Json.text(job, "status.completedIndexes")) : Set.of();
        if (indexed) {
            for (ObjectNode p : succeededPods) {
                Integer index = completionIndex(p);
                if (index != null && index < completions) completedIndexes.add(index);
            }
        }
        int succeeded = Math.max(Json.integer(job, "status.succeeded", 0),
                indexed ? completedIndexes.size() : succeededPods.size());
        int failed = Math.max(Json.integer(job, "status.failed", 0), failedPods.size());
        // With restartPolicy OnFailure the pod stays and its containers restart; each restart is a failure.
        int restarts = "OnFailure".equals(Json.text(job, "spec.template.spec.restartPolicy"))
                ? active.stream().mapToInt(JobController::restartCount).sum() : 0;

        StatusUpdate status = new StatusUpdate();
        String startTime = Json.text(job, "status.startTime");
        boolean wasSuspended = Jobs.hasCondition(job, "Suspended");
        if (!suspended && (startTime == null || wasSuspended)) {
            // Kubernetes starts the clock (and activeDeadlineSeconds) again when a Job is resumed
            startTime = Times.format(now);
            status.startTime = startTime;
        }

        boolean complete = completions == null
                ? succeeded > 0 && active.isEmpty()
                : succeeded >= completions;
        Long deadline = spec.path("activeDeadlineSeconds").isNumber() ? spec.get("activeDeadlineSeconds").asLong() : null;
        if (complete) {
            deletePods(job, active);
            status.finish("Complete", "", "", now);
            objects.events().normal(job, "Completed", "Job completed", COMPONENT);
        } else if (failed + restarts > backoffLimit) {
            // backoffLimit 3 allows three failures; the fourth fails the Job
            deletePods(job, active);
            status.finish("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
            objects.events().warning(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit", COMPONENT);
        } else if (!suspended && deadline != null && !now.isBefore(Times.parse(startTime).plusSeconds(deadline))) {
            deletePods(job, active);
            status.finish("Failed", "DeadlineExceeded", "Job was active longer than specified deadline", now);
            objects.events().warning(job, "DeadlineExceeded", "Job was active longer than specified deadline", COMPONENT);
        } else if (suspended) {
            deletePods(job, active);
            if (!wasSuspended) {
                status.condition("Suspended", "True", "JobSuspended", "Job suspended", now);
                objects.events().normal(job, "Suspended", "Job suspended", COMPONENT);
            }
        } else {
            if (wasSuspended) {
                status.condition("Suspended", "False", "JobResumed", "Job resumed", now);
                objects.events().normal(job, "Resumed", "Job resumed", COMPONENT);
            }
            active = scale(job, active, succeeded, failedPods, succeededPods, completions, parallelism, indexed,
                    completedIndexes, now);
        }
        boolean stopped = status.finishedAs != null || suspended;
        List<ObjectNode> stillActive = stopped ? List.of() : active;
        writeStatus(job, status, stillActive, succeeded, failed, indexed ? formatIndexes(completedIndexes) : null);
        if (status.finishedAs != null) deleteWhenTtlPassed(objects.require(Kind.JOB, Meta.namespace(job), Meta.name(job)), now);
    }

    /**
     * Brings the running pods to what is wanted now: {@code min(parallelism, still to succeed)}.
     * Example: completions 3, parallelism 2, one succeeded, one running → want min(2, 3 - 1) = 2,
     * so one more pod. A work queue (no completions) makes no new pod once any has succeeded.
     * Returns the active pods after the change.
     */
    private List<ObjectNode> scale(ObjectNode job, List<ObjectNode> active, int succeeded, List<ObjectNode> failedPods,
                                   List<ObjectNode> succeededPods, Integer completions, int parallelism, boolean indexed,
                                   Set<Integer> completedIndexes, Instant now) {
        int want;
        if (completions == null) want = succeeded > 0 ? 0 : parallelism;
        else want = Math.min(parallelism, Math.max(0, completions - succeeded));
        if (active.size() > want) {
            List<ObjectNode> ranked = new ArrayList<>(active);
            ranked.sort(ReplicaSetController.DELETE_FIRST);
            List<ObjectNode> extra = ranked.subList(0, active.size() - want);
            deletePods(job, extra);
            List<ObjectNode> kept = new ArrayList<>(active);
            kept.removeAll(extra);
            return kept;
        }
        int create = want - active.size();
        if (create == 0 || !backoffPassed(failedPods, succeededPods, now)) return active;
        List<Integer> indexes = new ArrayList<>();
        if (indexed) {
            Set<Integer> taken = new TreeSet<>(completedIndexes);
            active.forEach(p -> { Integer i = completionIndex(p); if (i != null) taken.add(i); });
            for (int i = 0; i < completions && indexes.size() < create; i++) if (!taken.contains(i)) indexes.add(i);
            create = indexes.size();
        }
        List<Change> changes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<ObjectNode> after = new ArrayList<>(active);
        for (int i = 0; i < create; i++) {
            ObjectNode pod = objects.newObject(podFromTemplate(job, indexed ? indexes.get(i) : null));
            changes.add(Change.put(pod));
            names.add(Meta.name(pod));
            after.add(pod);
        }
        if (changes.isEmpty()) return active;
        objects.store().commit(changes, true);
        objects.events().recordAll(names.stream().map(n -> new EventRecorder.Occurrence(job, "Normal",
                "SuccessfulCreate", "Created pod: " + n, COMPONENT)).toList());
        return after;
    }

    /**
     * Whether the back-off after the latest failures has passed. Failures count from the last
     * success: after two failures (the last at 12:00:00) the next pod may start at 12:00:20.
     */
    private boolean backoffPassed(List<ObjectNode> failedPods, List<ObjectNode> succeededPods, Instant now) {
        Instant lastSuccess = succeededPods.stream().map(this::finishedAt).max(Comparator.naturalOrder()).orElse(Instant.MIN);
        List<Instant> failuresSince = failedPods.stream().map(this::finishedAt).filter(t -> t.isAfter(lastSuccess)).toList();
        if (failuresSince.isEmpty()) return true;
        Instant lastFailure = failuresSince.stream().max(Comparator.naturalOrder()).orElseThrow();
        return !now.isBefore(lastFailure.plus(failureBackoff(failuresSince.size())));
    }

    /** When a finished pod finished: its last container's finishedAt, else when this controller first saw it finished. */
    private Instant finishedAt(ObjectNode pod) {
        Instant latest = null;
        for (JsonNode c : Json.at(pod, "status.containerStatuses")) {
            String t = c.path("state").path("terminated").path("finishedAt").asText(null);
            if (t != null && (latest == null || Times.parse(t).isAfter(latest))) latest = Times.parse(t);
        }
        if (latest != null) return latest;
        return failureFirstSeen.computeIfAbsent(Meta.uid(pod), uid -> objects.clock().instant());
    }

    private static int restartCount(ObjectNode pod) {
        int sum = 0;
        for (JsonNode c : Json.at(pod, "status.containerStatuses")) sum += c.path("restartCount").asInt(0);
        return sum;
    }

    /**
     * A pod from the Job's template, owned by the Job. An Indexed Job's pod carries its index in
     * the annotation and label {@code batch.kubernetes.io/job-completion-index}, in its name
     * ({@code work-2-x7k2p}) and hostname ({@code work-2}), and in env {@code JOB_COMPLETION_INDEX}
     * read from the annotation, as Kubernetes does.
     */
    static ObjectNode podFromTemplate(ObjectNode job, Integer index) {
        String base = index == null ? Meta.name(job) : Meta.name(job) + "-" + index;
        ObjectNode template = (ObjectNode) Json.at(job, "spec.template");
        ObjectNode pod = Meta.newObject(Kind.POD, Meta.namespace(job), Names.withRandomSuffix(base));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.put("generateName", base + "-");
        if (template.at("/metadata/labels").isObject()) meta.set("labels", template.at("/metadata/labels").deepCopy());
        if (template.at("/metadata/annotations").isObject()) meta.set("annotations", template.at("/metadata/annotations").deepCopy());
        meta.putArray("ownerReferences").add(Pods.controllerRef(job));
        ObjectNode spec = template.get("spec").deepCopy();
        pod.set("spec", spec);
        if (index != null) {
            Json.objectAt(meta, "annotations").put(Jobs.COMPLETION_INDEX, String.valueOf(index));
            Json.objectAt(meta, "labels").put(Jobs.COMPLETION_INDEX, String.valueOf(index));
            if (!spec.has("hostname")) spec.put("hostname", base);
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : spec.path(list)) addIndexEnv((ObjectNode) c);
            }
        }
        return pod;
    }

    private static void addIndexEnv(ObjectNode container) {
        ArrayNode env = container.get("env") instanceof ArrayNode list ? list : container.putArray("env");
        for (JsonNode e : env) if (Jobs.COMPLETION_INDEX_ENV.equals(e.path("name").asText())) return;
        ObjectNode var = env.addObject();
        var.put("name", Jobs.COMPLETION_INDEX_ENV);
        var.putObject("valueFrom").putObject("fieldRef")
                .put("fieldPath", "metadata.annotations['" + Jobs.COMPLETION_INDEX + "']");
    }

    static Integer completionIndex(ObjectNode pod) {
        String value = Meta.annotations(pod).get(Jobs.COMPLETION_INDEX);
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Kubernetes' compressed index list: {@code "0-2,5"} for 0, 1, 2 and 5. */
    static String formatIndexes(Set<Integer> indexes) {
        StringBuilder out = new StringBuilder();
        Integer start = null, previous = null;
        for (int i : new TreeSet<>(indexes)) {
            if (start != null && i == previous + 1) { previous = i; continue; }
            if (start != null) appendRange(out, start, previous);
            start = i;
            previous = i;
        }
        if (start != null) appendRange(out, start, previous);
        return out.toString();
    }

    private static void appendRange(StringBuilder out, int from, int to) {
        if (!out.isEmpty()) out.append(',');
        out.append(from);
        if (to > from) out.append('-').append(to);
    }

    static Set<Integer> parseIndexes(String text) {
        Set<Integer> out = new TreeSet<>();
        if (text == null || text.isBlank()) return out;
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int i = from; i <= to; i++) out.add(i);
        }
        return out;
    }

    private void deletePods(ObjectNode job, List<ObjectNode> pods) {
        for (ObjectNode pod : pods) {
            if (Meta.deleting(pod)) continue;
            if (objects.get(Kind.POD, Meta.namespace(pod), Meta.name(pod)).isEmpty()) continue;
            objects.delete(Kind.POD, Meta.namespace(pod), Meta.name(pod));
            objects.events().normal(job, "SuccessfulDelete", "Deleted pod: " + Meta.name(pod), COMPONENT);
        }
    }

    /** ttlSecondsAfterFinished: the Job goes that long after its Complete or Failed condition was set. */
    private void deleteWhenTtlPassed(ObjectNode job, Instant now) {
        JsonNode ttl = Json.at(job, "spec.ttlSecondsAfterFinished");
        if (!ttl.isNumber()) return;
        Instant finished = finishTime(job);
        if (finished != null && !now.isBefore(finished.plusSeconds(ttl.asLong()))) {
            objects.delete(Kind.JOB, Meta.namespace(job), Meta.name(job));
        }
    }

    private static Instant finishTime(JsonNode job) {
        for (JsonNode c : Json.at(job, "status.conditions")) {
            String type = c.path("type").asText();
            if (("Complete".equals(type) || "Failed".equals(type)) && "True".equals(c.path("status").asText())) {
                return Times.parse(c.path("lastTransitionTime").asText(null));
            }
        }
        return null;
    }

    /** What this pass changes in the status besides the counts. */
    private static final class StatusUpdate {
        String startTime;
        String finishedAs;
        String finishedAt;
        final List<ObjectNode> conditions = new ArrayList<>();

        void finish(String type, String reason, String message, Instant now) {
            finishedAs = type;
            finishedAt = Times.format(now);
            condition(type, "True", reason, message, now);
        }

        /** A Job's condition as Kubernetes writes it: lastProbeTime and lastTransitionTime. */
        void condition(String type, String value, String reason, String message, Instant now) {
            ObjectNode c = Json.object();
            c.put("type", type);
            c.put("status", value);
            c.put("lastProbeTime", Times.format(now));
            c.put("lastTransitionTime", Times.format(now));
            if (!reason.isEmpty()) c.put("reason", reason);
            if (!message.isEmpty()) c.put("message", message);
            conditions.add(c);
        }
    }

    private void writeStatus(ObjectNode job, StatusUpdate update, List<ObjectNode> active, int succeeded, int failed,
                             String completedIndexes) {
        int ready = (int) active.stream().filter(Pods::isReady).count();
        objects.update(ObjectKey.of(job), j -> {
            ObjectNode before = j.has("status") ? j.get("status").deepCopy() : Json.object();
            ObjectNode status = Json.objectAt(j, "status");
            if (update.startTime != null) status.put("startTime", update.startTime);
            if ("Complete".equals(update.finishedAs)) status.put("completionTime", update.finishedAt);
            status.put("active", active.size());
            status.put("ready", ready);
            status.put("succeeded", succeeded);
            status.put("failed", failed);
            if (completedIndexes != null) status.put("completedIndexes", completedIndexes);
            for (ObjectNode c : update.conditions) {
                ArrayNode list = status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
                for (int i = list.size() - 1; i >= 0; i--) {
                    if (c.get("type").asText().equals(list.get(i).path("type").asText())) list.remove(i);
                }
                list.add(c);
            }
            return status.equals(before) ? null : j;
        }, true);
    }
}
