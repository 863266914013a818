package dev.mo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * A Job's vocabulary, shared by the API server (which generates the selector), the Job
 * controller, and the CLI: the labels Kubernetes puts on a Job's pods and the names of its
 * conditions and annotations (k8s.io/api/batch/v1 types.go).
 */
public final class Jobs {
    /** The label the generated selector matches: the Job's uid, so no other Job's pods match. */
    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    /** The labels Kubernetes before 1.27 used; it still writes both, so selectors written for either keep working. */
    public static final String LEGACY_CONTROLLER_UID = "controller-uid";
    public static final String LEGACY_JOB_NAME = "job-name";
    /** An Indexed Job's pod carries its index here (and as a label since 1.28), and in env JOB_COMPLETION_INDEX. */
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    public static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";

    private Jobs() {}

    /** {@code spec.manualSelector: true}: the user chose the selector and the labels; nothing is generated. */
    public static boolean manualSelector(JsonNode job) {
        return Json.at(job, "spec.manualSelector").asBoolean(false);
    }

    /** The labels the API server adds to a new Job's pod template. */
    public static Map<String, String> generatedLabels(String uid, String jobName) {
        return Map.of(CONTROLLER_UID, uid, JOB_NAME, jobName, LEGACY_CONTROLLER_UID, uid, LEGACY_JOB_NAME, jobName);
    }

    /**
     * What the API server does to a new Job without {@code manualSelector}: the selector is
     * {@code batch.kubernetes.io/controller-uid=<uid>}, and the template gets the four labels
     * that match it (uid and name, in the new and the legacy spelling).
     */
    public static void generateSelector(ObjectNode job) {
        if (manualSelector(job)) return;
        String uid = Meta.uid(job);
        ObjectNode spec = Json.objectAt(job, "spec");
        ObjectNode selector = spec.putObject("selector");
        selector.putObject("matchLabels").put(CONTROLLER_UID, uid);
        ObjectNode labels = Json.objectAt(job, "spec.template.metadata.labels");
        generatedLabels(uid, Meta.name(job)).forEach(labels::put);
    }

    /**
     * A Job applied again (its manifest has no generated selector) keeps the selector and labels
     * made at its creation, so only a real change of the template counts as one.
     */
    public static void keepGeneratedSelector(ObjectNode existing, ObjectNode applied) {
        if (manualSelector(applied) || manualSelector(existing)) return;
        Json.objectAt(applied, "spec").set("selector", Json.at(existing, "spec.selector").deepCopy());
        ObjectNode labels = Json.objectAt(applied, "spec.template.metadata.labels");
        generatedLabels(Meta.uid(existing), Meta.name(existing)).forEach(labels::put);
    }

    /**
     * A Job applied again without {@code completions} keeps the one the API server set when it was
     * created (1, when neither completions nor parallelism was given), as kubectl apply's merge
     * would keep it: otherwise adding {@code parallelism} would read as a change of completions.
     */
    public static void keepDefaultedCompletions(ObjectNode existing, ObjectNode applied) {
        JsonNode completions = Json.at(existing, "spec.completions");
        if (Json.at(applied, "spec.completions").isMissingNode() && completions.isNumber()) {
            Json.objectAt(applied, "spec").set("completions", completions.deepCopy());
        }
    }

    /** The Job's condition of this type has status True. */
    public static boolean hasCondition(JsonNode job, String type) {
        for (JsonNode c : Json.at(job, "status.conditions")) {
            if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return true;
        }
        return false;
    }

    /** Complete or Failed: the Job will make no more pods. */
    public static boolean finished(JsonNode job) {
        return hasCondition(job, "Complete") || hasCondition(job, "Failed");
    }
}
