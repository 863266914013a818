package dev.mo.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's taints ({@code spec.taints}) and a pod's tolerations ({@code spec.tolerations}), and
 * Kubernetes' rule for when one tolerates the other. The scheduler reads them (NoSchedule keeps
 * pods off, PreferNoSchedule is avoided), the node lifecycle controller sets the node's own
 * condition taints and evicts by NoExecute ones.
 */
public final class Taints {
    /** Set by the node lifecycle controller while the node's Ready condition is False. */
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    /** Set while the node's Ready condition is Unknown: its agent stopped posting status. */
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    /** Set while the node is cordoned ({@code spec.unschedulable: true}). */
    public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    private Taints() {}

    /** {@code timeAdded} is null where it was not recorded (Kubernetes sets it on the taints it adds). */
    public record Taint(String key, String value, String effect, String timeAdded) {
        public Taint(String key, String effect) { this(key, "", effect, null); }

        /** The form of the kube-scheduler's messages: {@code {key: value}}. */
        @Override
        public String toString() { return "{" + key + ": " + value + "}"; }
    }

    /** Absent fields are empty strings; {@code tolerationSeconds} is null when not set (tolerated for ever). */
    public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {
        /**
         * Kubernetes' ToleratesTaint: an empty effect matches every effect, an empty key (with
         * Exists) every key; Exists ignores the value, Equal (the default) needs the same value.
         */
        public boolean tolerates(Taint taint) {
            if (!effect.isEmpty() && !effect.equals(taint.effect())) return false;
            if (!key.isEmpty() && !key.equals(taint.key())) return false;
            return switch (operator) {
                case "Exists" -> true;
                case "", "Equal" -> value.equals(taint.value());
                default -> false;
            };
        }
    }

    /** Whether any of {@code tolerations} tolerates {@code taint}. */
    public static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        return tolerations.stream().anyMatch(t -> t.tolerates(taint));
    }

    /** A node's {@code spec.taints}. */
    public static List<Taint> of(JsonNode node) {
        List<Taint> out = new ArrayList<>();
        for (JsonNode t : Json.at(node, "spec.taints")) {
            out.add(new Taint(t.path("key").asText(""), t.path("value").asText(""), t.path("effect").asText(""),
                    t.hasNonNull("timeAdded") ? t.get("timeAdded").asText() : null));
        }
        return out;
    }

    /** A pod's {@code spec.tolerations}. */
    public static List<Toleration> tolerations(JsonNode pod) {
        List<Toleration> out = new ArrayList<>();
        for (JsonNode t : Json.at(pod, "spec.tolerations")) {
            out.add(new Toleration(t.path("key").asText(""), t.path("operator").asText(""), t.path("value").asText(""),
                    t.path("effect").asText(""), t.hasNonNull("tolerationSeconds") ? t.get("tolerationSeconds").asLong() : null));
        }
        return out;
    }
}
