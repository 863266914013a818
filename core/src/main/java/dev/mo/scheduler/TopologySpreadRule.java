package dev.mo.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' PodTopologySpread plugin: {@code spec.topologySpreadConstraints}. A constraint cuts
 * the nodes into domains by one label, its {@code topologyKey} (one domain per zone, or per host
 * with {@code kubernetes.io/hostname}), counts in each domain the pods its {@code labelSelector}
 * picks, and keeps the domains level. The skew of placing the pod in a domain is
 * <pre>
 *   pods picked there + 1 if the pod itself is picked − the fewest pods picked in any domain
 * </pre>
 * Zones A:2 B:1 C:0, maxSkew 1, a pod the selector picks: A gives 2+1−0 = 3, B 1+1−0 = 2,
 * C 0+1−0 = 1, so only C's nodes keep the skew within 1.
 *
 * <p>{@code whenUnsatisfiable: DoNotSchedule} makes that a filter ({@link #misfit}); a node
 * without the key is no domain and no candidate ({@code (missing required label)}).
 * {@code ScheduleAnyway} makes it a score ({@link #scores}): fewer pods in the node's domain
 * scores higher, and the pod is placed even when every domain is over the skew.
 *
 * <p>Which nodes make the domains (and so the minimum), per constraint: the nodes with every
 * key of the pod's constraints of that kind; with {@code nodeAffinityPolicy: Honor} (the default)
 * only those that match the pod's nodeSelector and required node affinity; with
 * {@code nodeTaintsPolicy: Honor} (the default is Ignore) only those whose NoSchedule and
 * NoExecute taints (a cordon counts as one) the pod tolerates. A domain without pods counts as
 * 0: under the default Ignore, a zone whose only node is tainted keeps the minimum at 0, and a
 * pod over the skew elsewhere stays Pending. {@code minDomains} (DoNotSchedule only): while there are fewer domains,
 * the minimum is taken as 0, so zones A:1 B:1 with minDomains 3 and maxSkew 1 give 1+1−0 = 2
 * everywhere, and the pod waits for a third zone.
 *
 * <p>Counted: the pods bound to the domain's nodes in the pod's namespace, not terminating,
 * that the selector picks; {@code matchLabelKeys} adds the pod's own value of each key to the
 * selector (so a rollout's new pods are spread apart from the old ones). As in Kubernetes, a
 * selector with no requirement counts no pod, so a constraint without one never finds a skew
 * (it still keeps off nodes without its key).
 */
final class TopologySpreadRule {
    static final String MISFIT = "node(s) didn't match pod topology spread constraints";
    static final String MISSING_LABEL_MISFIT = MISFIT + " (missing required label)";

    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    /** One constraint as the scheduler reads it, defaults filled in. */
    record Constraint(int maxSkew, String topologyKey, LabelSelector selector, Map<String, String> podLabelValues,
                      int minDomains, boolean honourNodeAffinity, boolean honourTaints) {
        /** Whether the selector picks these labels; a constraint without a selector picks none. */
        boolean picks(Map<String, String> labels) {
            if (selector == null || !selector.matches(labels)) return false;
            for (Map.Entry<String, String> e : podLabelValues.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return false;
            }
            return true;
        }

        /** Whether {@code other} counts in its domain: same namespace, not terminating, picked by a non-empty selector. */
        boolean counts(ObjectNode other, String namespace) {
            if (Meta.deleting(other) || !Objects.equals(namespace, Meta.namespace(other))) return false;
            if (selector == null || (selector.isEmpty() && podLabelValues.isEmpty())) return false;
            return picks(Meta.labels(other));
        }

        /** Whether the node makes a domain for this constraint, as its node inclusion policies say. */
        boolean includes(ObjectNode pod, NodeInfo node) {
            if (honourNodeAffinity && !NodeAffinityRule.fits(pod, node)) return false;
            if (honourTaints) {
                List<Taint> taints = new ArrayList<>(node.taints());
                if (node.unschedulable()) taints.add(Scheduler.CORDON);
                return TaintToleration.untolerated(Taints.tolerations(pod), taints).isEmpty();
            }
            return true;
        }

        int matchingPods(NodeInfo node, String namespace) {
            int n = 0;
            for (ObjectNode other : node.assignedPods()) if (counts(other, namespace)) n++;
            return n;
        }
    }

    private final ObjectNode pod;
    private final String namespace;
    private final List<NodeInfo> nodes;
    private final List<Constraint> required;
    private final List<Constraint> preferred;
    /** For each required constraint: domain (the node label's value) → pods counted there. */
    private final List<Map<String, Integer>> requiredDomains = new ArrayList<>();

    private TopologySpreadRule(ObjectNode pod, List<NodeInfo> nodes) {
        this.pod = pod;
        this.namespace = Meta.namespace(pod);
        this.nodes = nodes;
        this.required = constraints(pod, DO_NOT_SCHEDULE);
        this.preferred = constraints(pod, SCHEDULE_ANYWAY);
    }

    /** The rule for placing {@code pod} among {@code nodes} (all of them, not only those that fit). */
    static TopologySpreadRule of(ObjectNode pod, List<NodeInfo> nodes) {
        TopologySpreadRule rule = new TopologySpreadRule(pod, nodes);
        for (int i = 0; i < rule.required.size(); i++) rule.requiredDomains.add(new HashMap<>());
        if (rule.required.isEmpty()) return rule;
        for (NodeInfo node : nodes) {
            if (!hasEveryKey(node, rule.required)) continue;
            for (int i = 0; i < rule.required.size(); i++) {
                Constraint c = rule.required.get(i);
                if (!c.includes(pod, node)) continue;
                rule.requiredDomains.get(i).merge(node.labels().get(c.topologyKey()), c.matchingPods(node, rule.namespace),
                        Integer::sum);
            }
        }
        return rule;
    }

    /**
     * Whether the pod states constraints of its own. Kubernetes then spreads it by those alone:
     * its default spreading (here, fewest pods of the same owner) no longer comes first.
     */
    boolean statedByPod() { return Json.at(pod, "spec.topologySpreadConstraints").size() > 0; }

    /** Filter: why the node breaks a DoNotSchedule constraint, in the kube-scheduler's words, or null. */
    String misfit(NodeInfo node) {
        Map<String, String> podLabels = Meta.labels(pod);
        for (int i = 0; i < required.size(); i++) {
            Constraint c = required.get(i);
            String domain = node.labels().get(c.topologyKey());
            if (domain == null) return MISSING_LABEL_MISFIT;
            Map<String, Integer> domains = requiredDomains.get(i);
            int globalMinimum = domains.isEmpty() || domains.size() < c.minDomains() ? 0 : Collections.min(domains.values());
            int skew = domains.getOrDefault(domain, 0) + (c.picks(podLabels) ? 1 : 0) - globalMinimum;
            if (skew > c.maxSkew()) return MISFIT;
        }
        return null;
    }

    /**
     * Score of the ScheduleAnyway constraints, 0-100 for each node that passed the filters, as
     * the plugin computes it. Raw: for each constraint, the pods counted in the node's domain
     * times ln(domains among these nodes + 2), plus maxSkew − 1, summed and rounded (the log
     * weighs a constraint with many small domains, such as hosts, against one with few large
     * ones, such as zones; maxSkew − 1 waters differences down). Then fewer is better:
     * {@code 100 × (max + min − raw) / max}. Example, zones A:2 B:1 C:0, maxSkew 1: ln 5 = 1.61,
     * raw A 3, B 2, C 0; scores A 0, B 33, C 100. A node without a key scores 0; with no
     * ScheduleAnyway constraint every node scores 0.
     */
    Map<String, Long> scores(List<NodeInfo> fit) {
        Map<String, Long> out = new HashMap<>();
        fit.forEach(n -> out.put(n.name(), 0L));
        if (preferred.isEmpty()) return out;
        List<NodeInfo> candidates = fit.stream().filter(n -> hasEveryKey(n, preferred)).toList();
        // domains come from the candidates; the pods in them from every node that belongs to one
        List<Map<String, Long>> domains = new ArrayList<>();
        for (Constraint c : preferred) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (NodeInfo n : candidates) counts.put(n.labels().get(c.topologyKey()), 0L);
            domains.add(counts);
        }
        for (NodeInfo node : nodes) {
            if (!hasEveryKey(node, preferred)) continue;
            for (int i = 0; i < preferred.size(); i++) {
                Constraint c = preferred.get(i);
                String domain = node.labels().get(c.topologyKey());
                if (c.includes(pod, node) && domains.get(i).containsKey(domain)) {
                    domains.get(i).merge(domain, (long) c.matchingPods(node, namespace), Long::sum);
                }
            }
        }
        Map<String, Long> raw = new HashMap<>();
        for (NodeInfo n : candidates) {
            double score = 0;
            for (int i = 0; i < preferred.size(); i++) {
                Constraint c = preferred.get(i);
                double weight = Math.log(domains.get(i).size() + 2);
                score += domains.get(i).get(n.labels().get(c.topologyKey())) * weight + (c.maxSkew() - 1);
            }
            raw.put(n.name(), Math.round(score));
        }
        out.putAll(Scores.fewerIsBetter(raw));
        return out;
    }

    private static boolean hasEveryKey(NodeInfo node, List<Constraint> constraints) {
        for (Constraint c : constraints) if (!node.labels().containsKey(c.topologyKey())) return false;
        return true;
    }

    /** The pod's constraints with this {@code whenUnsatisfiable}. */
    static List<Constraint> constraints(ObjectNode pod, String whenUnsatisfiable) {
        List<Constraint> out = new ArrayList<>();
        Map<String, String> podLabels = Meta.labels(pod);
        for (JsonNode c : Json.at(pod, "spec.topologySpreadConstraints")) {
            if (!whenUnsatisfiable.equals(c.path("whenUnsatisfiable").asText())) continue;
            JsonNode selector = c.path("labelSelector");
            Map<String, String> podLabelValues = new HashMap<>();
            for (JsonNode key : c.path("matchLabelKeys")) {
                String value = podLabels.get(key.asText());
                if (value != null) podLabelValues.put(key.asText(), value);
            }
            out.add(new Constraint(c.path("maxSkew").asInt(1), c.path("topologyKey").asText(),
                    selector.isObject() ? LabelSelector.fromJson(selector) : null, Map.copyOf(podLabelValues),
                    c.path("minDomains").asInt(1),
                    !"Ignore".equals(c.path("nodeAffinityPolicy").asText()),
                    "Honor".equals(c.path("nodeTaintsPolicy").asText())));
        }
        return out;
    }
}
