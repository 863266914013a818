package dev.mo.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' InterPodAffinity plugin: {@code spec.affinity.podAffinity} and
 * {@code podAntiAffinity}. A term names pods (a label selector, in some namespaces) and a
 * topology key; the pods "near" a node are those on every node with the same value of that
 * label. With {@code kubernetes.io/hostname}, which every node has with its own name, that is
 * the node itself.
 *
 * <p>Like the plugin's PreFilter, {@link #of} looks at every node's pods once and keeps the
 * topology pairs ({@code key=value}) that matter; {@link #misfit} and {@link #score} then judge
 * one node from them.
 */
final class PodAffinityRule {
    static final String AFFINITY_MISFIT = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_MISFIT = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY_MISFIT = "node(s) didn't satisfy existing pods anti-affinity rules";

    /** One PodAffinityTerm of {@code owner}, with its weight (1 for a required term). */
    record Term(JsonNode selector, Set<String> namespaces, boolean allNamespaces, String topologyKey, long weight) {
        /**
         * Whether {@code pod} is one of the pods this term names: in its namespaces (the owner's
         * own when none are listed; all for an empty namespaceSelector) and selected by its
         * labelSelector (none selects no pod).
         */
        boolean matches(ObjectNode pod) {
            if (selector == null) return false;
            if (!allNamespaces && !namespaces.contains(Meta.namespace(pod))) return false;
            return LabelSelector.fromJson(selector).matches(Meta.labels(pod));
        }

        static List<Term> required(ObjectNode owner, String kind) {
            List<Term> out = new ArrayList<>();
            for (JsonNode t : Json.at(owner, "spec.affinity." + kind + ".requiredDuringSchedulingIgnoredDuringExecution")) {
                out.add(of(owner, t, 1));
            }
            return out;
        }

        static List<Term> preferred(ObjectNode owner, String kind) {
            List<Term> out = new ArrayList<>();
            for (JsonNode t : Json.at(owner, "spec.affinity." + kind + ".preferredDuringSchedulingIgnoredDuringExecution")) {
                out.add(of(owner, t.path("podAffinityTerm"), t.path("weight").asLong(0)));
            }
            return out;
        }

        private static Term of(ObjectNode owner, JsonNode t, long weight) {
            Set<String> namespaces = new HashSet<>();
            t.path("namespaces").forEach(n -> namespaces.add(n.asText()));
            JsonNode nsSelector = t.path("namespaceSelector");
            if (namespaces.isEmpty() && !nsSelector.isObject()) namespaces.add(Meta.namespace(owner));
            JsonNode selector = t.path("labelSelector").isObject() ? t.get("labelSelector") : null;
            return new Term(selector, namespaces, nsSelector.isObject() && nsSelector.isEmpty(),
                    t.path("topologyKey").asText(), weight);
        }

        /** The pair {@code key=value} of {@code node} for this term's key, or null when the node lacks the label. */
        String pairOf(NodeInfo node) { return pair(topologyKey, node.labels().get(topologyKey)); }
    }

    private final ObjectNode pod;
    private final List<Term> requiredAffinity;
    private final List<Term> requiredAntiAffinity;
    /** Pairs holding a pod that matches every required affinity term of the pod. */
    private final Set<String> affinityPairs = new HashSet<>();
    /** Pairs holding a pod that one of the pod's required anti-affinity terms names. */
    private final Set<String> antiAffinityPairs = new HashSet<>();
    /** Pairs holding a pod whose own required anti-affinity names this pod (the rule works both ways). */
    private final Set<String> existingAntiAffinityPairs = new HashSet<>();
    /** Pair → the preferred terms' weights there: + for affinity, − for anti-affinity. */
    private final Map<String, Long> preferenceCounts = new HashMap<>();

    private PodAffinityRule(ObjectNode pod) {
        this.pod = pod;
        this.requiredAffinity = Term.required(pod, "podAffinity");
        this.requiredAntiAffinity = Term.required(pod, "podAntiAffinity");
    }

    /** The rule for placing {@code pod} among {@code nodes} (all of them, not only those that fit). */
    static PodAffinityRule of(ObjectNode pod, List<NodeInfo> nodes) {
        PodAffinityRule rule = new PodAffinityRule(pod);
        List<Term> preferredAffinity = Term.preferred(pod, "podAffinity");
        List<Term> preferredAntiAffinity = Term.preferred(pod, "podAntiAffinity");
        for (NodeInfo node : nodes) {
            for (ObjectNode existing : node.assignedPods()) {
                if (!rule.requiredAffinity.isEmpty() && rule.requiredAffinity.stream().allMatch(t -> t.matches(existing))) {
                    rule.requiredAffinity.forEach(t -> addPair(rule.affinityPairs, t.pairOf(node)));
                }
                for (Term t : rule.requiredAntiAffinity) if (t.matches(existing)) addPair(rule.antiAffinityPairs, t.pairOf(node));
                for (Term t : Term.required(existing, "podAntiAffinity")) {
                    if (t.matches(pod)) addPair(rule.existingAntiAffinityPairs, t.pairOf(node));
                }
                // Scoring, both ways, as the plugin does: the pod's preferred terms that name the
                // existing pod, and the existing pod's terms that name this pod (its required
                // affinity counts with weight 1).
                rule.count(preferredAffinity, existing, node, 1);
                rule.count(preferredAntiAffinity, existing, node, -1);
                rule.count(Term.required(existing, "podAffinity"), pod, node, 1);
                rule.count(Term.preferred(existing, "podAffinity"), pod, node, 1);
                rule.count(Term.preferred(existing, "podAntiAffinity"), pod, node, -1);
            }
        }
        return rule;
    }

    private void count(List<Term> terms, ObjectNode named, NodeInfo node, long sign) {
        for (Term t : terms) {
            String pair = t.pairOf(node);
            if (pair != null && t.matches(named)) preferenceCounts.merge(pair, sign * t.weight(), Long::sum);
        }
    }

    /** Filter: why the node breaks a required (anti-)affinity rule, in the kube-scheduler's words, or null. */
    String misfit(NodeInfo node) {
        if (!satisfiesAffinity(node)) return AFFINITY_MISFIT;
        for (Term t : requiredAntiAffinity) {
            if (antiAffinityPairs.contains(t.pairOf(node))) return ANTI_AFFINITY_MISFIT;
        }
        for (Map.Entry<String, String> label : node.labels().entrySet()) {
            if (existingAntiAffinityPairs.contains(pair(label.getKey(), label.getValue()))) return EXISTING_ANTI_AFFINITY_MISFIT;
        }
        return null;
    }

    /**
     * Every required affinity term has a matching pod near the node (which must have every
     * term's topology label). The exception, so that a group of pods that want to be together
     * can start: when no pod anywhere matches yet and the pod matches its own terms, it may go
     * anywhere.
     */
    private boolean satisfiesAffinity(NodeInfo node) {
        boolean podsExist = true;
        for (Term t : requiredAffinity) {
            String pair = t.pairOf(node);
            if (pair == null) return false;
            if (!affinityPairs.contains(pair)) podsExist = false;
        }
        return podsExist || (affinityPairs.isEmpty() && requiredAffinity.stream().allMatch(t -> t.matches(pod)));
    }

    /** Score: the sum of the preferred weights counted in the node's topology pairs (the caller normalises). */
    long score(NodeInfo node) {
        long sum = 0;
        for (Map.Entry<String, String> label : node.labels().entrySet()) {
            sum += preferenceCounts.getOrDefault(pair(label.getKey(), label.getValue()), 0L);
        }
        return sum;
    }

    private static String pair(String key, String value) { return value == null ? null : key + "=" + value; }

    private static void addPair(Set<String> pairs, String pair) { if (pair != null) pairs.add(pair); }
}
