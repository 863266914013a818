package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a rolling update, as Kubernetes' {@code pkg/controller/deployment/rolling.go}
 * and {@code util/deployment_util.go} do it, without any I/O: given the ReplicaSets as they are,
 * what is the ONE next step? The controller takes one step per pass and looks again, so a step
 * never relies on pods that are not there yet.
 *
 * <p>A step either scales the new ReplicaSet up (while the total stays within
 * {@code replicas + maxSurge}) or scales old ones down (while at least
 * {@code replicas - maxUnavailable} pods stay available), never both.
 */
public final class RollingUpdatePlanner {
    private RollingUpdatePlanner() {}

    /** One ReplicaSet as the planner sees it: {@code spec.replicas} and {@code status.availableReplicas}. */
    public record ReplicaSetState(String name, int replicas, int available) {
        /**
         * The available count the planner may trust. mo's ReplicaSet status can lag one pass
         * behind a scale-down (spec 2, status still "3 available"); counting more available
         * pods than the ReplicaSet is asked to keep would let the planner scale down too far.
         */
        int trustedAvailable() { return Math.max(0, Math.min(replicas, available)); }
    }

    /** maxSurge and maxUnavailable as pod counts for one replica count. */
    public record Limits(int maxSurge, int maxUnavailable) {}

    /**
     * An int-or-percent field as a count of {@code total}. Percentages round up for maxSurge
     * and down for maxUnavailable: 10 replicas, "25%" surge → ceil(2.5) = 3 extra pods;
     * "25%" unavailable → floor(2.5) = 2 pods may be missing. Rounding that way errs on the
     * side of progress for surge and of availability for unavailable. A plain number is
     * taken as it is ("2" → 2); a missing field counts as {@code fallback}.
     */
    public static int scaledValue(JsonNode value, int total, boolean roundUp, String fallback) {
        String text = value == null || value.isMissingNode() || value.isNull() ? fallback
                : value.isNumber() ? Integer.toString(value.asInt()) : value.asText();
        if (text.endsWith("%")) {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1).trim());
            // Integer arithmetic: 25% of 10 = 250 / 100 → 2 rem 50; round up gives 3.
            long scaled = (long) percent * total;
            return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
        }
        return Integer.parseInt(text.trim());
    }

    /**
     * Kubernetes' {@code ResolveFenceposts}: surge rounds up, unavailable rounds down
     * (10 replicas, "25%" and "25%" → surge 3, unavailable 2). When both come out 0
     * (maxSurge 0, maxUnavailable "10%" on 3 replicas: floor(0.3) = 0), maxUnavailable becomes
     * 1, or the rollout could never take a single step.
     */
    public static Limits fenceposts(JsonNode maxSurge, JsonNode maxUnavailable, int replicas) {
        int surge = scaledValue(maxSurge, replicas, true, "25%");
        int unavailable = scaledValue(maxUnavailable, replicas, false, "25%");
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return new Limits(surge, unavailable);
    }

    /**
     * Kubernetes' {@code MaxUnavailable(deployment)}: the resolved maxUnavailable, but never
     * more than the replicas (4 replicas, maxUnavailable 10 → 4), and 0 for 0 replicas.
     */
    public static int maxUnavailable(Limits limits, int replicas) {
        if (replicas == 0) return 0;
        return Math.min(limits.maxUnavailable(), replicas);
    }

    /**
     * Kubernetes' {@code NewRSNewReplicas} for RollingUpdate: how many replicas the new
     * ReplicaSet may have now. Example: 3 replicas, maxSurge 1, old has 3, new has 0: at most
     * 3 + 1 = 4 pods in all, 3 exist, so the new one may grow by 1 → 1. Once old is down to 2
     * (total 3), the new one may grow to 2, and so on. Never beyond {@code replicas}.
     *
     * @param allReplicas sum of {@code spec.replicas} over all ReplicaSets, new included
     */
    public static int newReplicaSetTarget(int replicas, int maxSurge, int allReplicas, int newReplicas) {
        int maxTotal = replicas + maxSurge;
        if (allReplicas >= maxTotal) return newReplicas; // already at the surge ceiling
        int scaleUp = Math.min(maxTotal - allReplicas, replicas - newReplicas);
        return newReplicas + Math.max(0, scaleUp);
    }

    /**
     * Kubernetes' {@code reconcileOldReplicaSets}: which old ReplicaSets to scale down, oldest
     * first ({@code olds} must come sorted by creation). Example: 3 replicas, maxUnavailable 0
     * (minAvailable 3), old 3/3 available, new 1 with 1 available: all pods 4, the new set has
     * 0 unavailable, so maxScaledDown = 4 - 3 - 0 = 1 → old goes to 2. With the new pod not yet
     * available: 4 - 3 - 1 = 0 → nothing; the unavailable new pod may yet need its room.
     *
     * <p>First unhealthy old replicas go (spec 3, 1 available → 2 can go without losing
     * anything), up to maxScaledDown; then available ones, as long as the available pods stay
     * above {@code replicas - maxUnavailable}.
     *
     * @return the old ReplicaSets that change, name → new {@code spec.replicas}
     */
    public static Map<String, Integer> scaleDownOld(int replicas, int maxUnavailable, ReplicaSetState newSet,
                                                    List<ReplicaSetState> olds) {
        Map<String, Integer> out = new LinkedHashMap<>();
        int oldPods = olds.stream().mapToInt(ReplicaSetState::replicas).sum();
        if (oldPods == 0) return out;
        int newReplicas = newSet == null ? 0 : newSet.replicas();
        int allPods = oldPods + newReplicas;
        int minAvailable = replicas - maxUnavailable;
        int newUnavailable = newSet == null ? 0 : newReplicas - newSet.trustedAvailable();
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return out;

        // cleanupUnhealthyReplicas: pods that are not available cost nothing to remove.
        Map<String, Integer> current = new LinkedHashMap<>();
        Map<String, Integer> available = new LinkedHashMap<>();
        for (ReplicaSetState rs : olds) {
            current.put(rs.name(), rs.replicas());
            available.put(rs.name(), rs.trustedAvailable());
        }
        int cleaned = 0;
        for (ReplicaSetState rs : olds) {
            if (cleaned >= maxScaledDown) break;
            int spec = current.get(rs.name());
            int unhealthy = spec - available.get(rs.name());
            if (spec == 0 || unhealthy <= 0) continue;
            int down = Math.min(maxScaledDown - cleaned, unhealthy);
            current.put(rs.name(), spec - down);
            out.put(rs.name(), spec - down);
            cleaned += down;
        }

        // scaleDownOldReplicaSetsForRollingUpdate: available pods above minAvailable may go.
        int availableAll = (newSet == null ? 0 : newSet.trustedAvailable())
                + olds.stream().mapToInt(rs -> Math.min(current.get(rs.name()), available.get(rs.name()))).sum();
        if (availableAll <= minAvailable) return out;
        int toScaleDown = availableAll - minAvailable;
        int scaled = 0;
        for (ReplicaSetState rs : olds) {
            if (scaled >= toScaleDown) break;
            int spec = current.get(rs.name());
            if (spec == 0) continue;
            int down = Math.min(spec, toScaleDown - scaled);
            current.put(rs.name(), spec - down);
            out.put(rs.name(), spec - down);
            scaled += down;
        }
        return out;
    }

    /**
     * One rolling-update step (Kubernetes' {@code rolloutRolling}): first the new ReplicaSet
     * (down to {@code replicas} if it has more, else up as far as the surge allows); only
     * when it does not change, the old ones. Example, 3 replicas, surge 1, unavailable 0:
     * old 3/3, new 0 → {new: 1}; old 3/3, new 1/1 → {old: 2}; old 2/2, new 1/1 → {new: 2}.
     *
     * @return name → new {@code spec.replicas}; empty when there is nothing to do now
     */
    public static Map<String, Integer> step(int replicas, Limits limits, ReplicaSetState newSet,
                                            List<ReplicaSetState> olds) {
        int allReplicas = newSet.replicas() + olds.stream().mapToInt(ReplicaSetState::replicas).sum();
        if (newSet.replicas() > replicas) return Map.of(newSet.name(), replicas);
        if (newSet.replicas() < replicas) {
            int target = newReplicaSetTarget(replicas, limits.maxSurge(), allReplicas, newSet.replicas());
            if (target != newSet.replicas()) return Map.of(newSet.name(), target);
        }
        return scaleDownOld(replicas, maxUnavailable(limits, replicas), newSet, olds);
    }

    /**
     * One active ReplicaSet for proportional scaling: its {@code spec.replicas} and the
     * {@code deployment.kubernetes.io/max-replicas} it was last scaled under (0 when unknown).
     */
    public record Sized(String name, int replicas, int maxReplicas) {}

    /**
     * Kubernetes' proportional scaling ({@code sync.go: scale}): the Deployment is resized in
     * the middle of a rollout, so several ReplicaSets have pods. Each keeps its share of the
     * new total {@code replicas + maxSurge}. Example: 10 replicas, surge 3, mid-rollout old 8
     * and new 5 (13 = the old ceiling, max-replicas 13); scaled to 20 → ceiling 23, 10 to add:
     * old gets round(8 * 23 / 13) - 8 = 6 → 14, new round(5 * 23 / 13) - 5 = 4 → 9; total 23.
     * What rounding leaves over goes to the largest ReplicaSet.
     *
     * @param oldestFirst the active ReplicaSets (spec.replicas > 0), oldest first
     * @param statusReplicas the Deployment's {@code status.replicas}, used when a ReplicaSet has no annotation
     * @return name → new {@code spec.replicas}, for every ReplicaSet given
     */
    public static Map<String, Integer> proportional(int replicas, int maxSurge, int statusReplicas, List<Sized> oldestFirst) {
        int total = oldestFirst.stream().mapToInt(Sized::replicas).sum();
        int allowed = replicas > 0 ? replicas + maxSurge : 0;
        int toAdd = allowed - total;
        // Largest first; of equal sizes the newer grows first and the older shrinks first.
        List<Sized> order = new ArrayList<>(oldestFirst);
        if (toAdd > 0) Collections.reverse(order);
        order.sort(Comparator.comparingInt(Sized::replicas).reversed()); // stable: keeps the age order
        Map<String, Integer> sizes = new LinkedHashMap<>();
        int added = 0;
        for (Sized rs : order) {
            int proportion = 0;
            if (toAdd != 0 && rs.replicas() != 0 && toAdd != added) {
                int fraction;
                if (replicas == 0) fraction = -rs.replicas();
                else {
                    int before = rs.maxReplicas() > 0 ? rs.maxReplicas() : Math.max(1, statusReplicas);
                    fraction = (int) Math.round((double) rs.replicas() * allowed / before) - rs.replicas();
                }
                int left = toAdd - added;
                proportion = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
            }
            sizes.put(rs.name(), rs.replicas() + proportion);
            added += proportion;
        }
        if (toAdd != 0 && !order.isEmpty()) {
            String first = order.get(0).name();
            sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
        }
        return sizes;
    }
}
