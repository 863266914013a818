package dev.mo.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The Horizontal Pod Autoscaler's arithmetic, as pure functions: Kubernetes'
 * {@code pkg/controller/podautoscaler/replica_calculator.go} ({@code GetResourceReplicas})
 * and the clamping/stabilisation of {@code horizontal.go}. No I/O, no clock of its own.
 *
 * <p>Example: 2 ready pods requesting 200m each use 180m and 220m → utilization 100% of
 * request; target 50% → ratio 2.0 → ceil(2 × 2.0) = 4 replicas.
 */
public final class ReplicaCalculator {
    /** Kubernetes' default {@code --horizontal-pod-autoscaler-tolerance}: no change while the ratio is within 0.9–1.1. */
    public static final double TOLERANCE = 0.1;

    private ReplicaCalculator() {}

    /**
     * What the calculator needs of one pod of the target.
     *
     * @param name             pod name
     * @param ready            Ready condition True (a Pending or not-Ready pod counts as unready)
     * @param ignored          being deleted or Failed: left out entirely
     * @param cpuRequestMillis sum of its containers' {@code resources.requests.cpu}; null when a container has none
     * @param missingRequestIn the first container without a cpu request (for the error message), else null
     * @param usageMillis      measured CPU usage, or null when there is no metric for it
     */
    public record PodSample(String name, boolean ready, boolean ignored, Long cpuRequestMillis, String missingRequestIn,
                            Long usageMillis) {}

    /**
     * The answer: {@code replicas} proposed from the metric, the current average {@code utilization}
     * (percent of request) and {@code averageUsageMillis}, or an {@code error} (then replicas is
     * the current count and the HPA reports ScalingActive False).
     */
    public record Result(int replicas, int utilization, long averageUsageMillis, String error) {
        static Result failed(int current, String error) { return new Result(current, 0, 0, error); }
    }

    /**
     * {@code GetResourceReplicas} for cpu with a Utilization target. Pods are grouped as
     * Kubernetes' {@code groupPods} does: ignored (deleted/Failed) pods are dropped, unready pods and
     * pods without metrics are set aside. The ratio is computed on the ready pods with metrics;
     * then, as Kubernetes does, to damp the decision:
     * <ul>
     * <li>pods <b>missing metrics</b> count as 0% of request when scaling up and 100% when scaling down;</li>
     * <li><b>unready</b> pods count as 0% when scaling up (and are left out when scaling down);</li>
     * <li>if that recomputation flips the direction or lands within tolerance, nothing changes.</li>
     * </ul>
     */
    public static Result cpuReplicas(int currentReplicas, int targetUtilization, List<PodSample> pods) {
        if (pods.isEmpty()) return Result.failed(currentReplicas, "no pods returned by selector while calculating replica count");
        List<PodSample> counted = pods.stream().filter(p -> !p.ignored()).toList();
        for (PodSample p : counted) {
            if (p.cpuRequestMillis() == null) {
                return Result.failed(currentReplicas, "missing request for cpu in container "
                        + p.missingRequestIn() + " of Pod " + p.name());
            }
        }
        List<PodSample> ready = new ArrayList<>(), unready = new ArrayList<>(), missing = new ArrayList<>();
        for (PodSample p : counted) {
            if (p.usageMillis() == null) missing.add(p);
            else if (!p.ready()) unready.add(p);
            else ready.add(p);
        }
        if (ready.isEmpty()) {
            return Result.failed(currentReplicas, "did not receive metrics for targeted pods (pods might be unready)");
        }
        long usage = 0, requests = 0;
        for (PodSample p : ready) {
            usage += p.usageMillis();
            requests += p.cpuRequestMillis();
        }
        if (requests == 0) return Result.failed(currentReplicas, "no metrics returned matched known pods");
        int utilization = (int) (usage * 100 / requests);
        double ratio = (double) utilization / targetUtilization;
        long average = usage / ready.size();

        boolean scaleUpWithUnready = !unready.isEmpty() && ratio > 1.0;
        if (!scaleUpWithUnready && missing.isEmpty()) {
            if (Math.abs(1.0 - ratio) <= TOLERANCE) return new Result(currentReplicas, utilization, average, null);
            return new Result((int) Math.ceil(ratio * ready.size()), utilization, average, null);
        }

        // Damping, replica_calculator.go: missing pods at 100% of request when scaling down, 0% when scaling up;
        // unready pods at 0% when scaling up.
        long newUsage = usage, newRequests = requests;
        int count = ready.size();
        for (PodSample p : missing) {
            if (ratio < 1.0) newUsage += p.cpuRequestMillis();
            newRequests += p.cpuRequestMillis();
            count++;
        }
        if (scaleUpWithUnready) {
            for (PodSample p : unready) {
                newRequests += p.cpuRequestMillis();
                count++;
            }
        }
        double newRatio = (double) (newUsage * 100 / newRequests) / targetUtilization;
        if (Math.abs(1.0 - newRatio) <= TOLERANCE || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
            return new Result(currentReplicas, utilization, average, null);
        }
        int proposed = (int) Math.ceil(newRatio * count);
        if ((newRatio < 1.0 && proposed > currentReplicas) || (newRatio > 1.0 && proposed < currentReplicas)) {
            return new Result(currentReplicas, utilization, average, null);
        }
        return new Result(proposed, utilization, average, null);
    }

    /** One past recommendation, for the scale-down stabilisation window. */
    public record Recommendation(Instant at, int replicas) {}

    /**
     * Scale-down stabilisation ({@code stabilizeRecommendationWithBehaviors}): remembers
     * {@code recommendation} at {@code now} in {@code history}, forgets entries older than
     * {@code window}, and answers the highest recommendation still in the window — so the HPA
     * scales down only to what every recommendation of the last window allowed. Scaling up is immediate.
     */
    public static int stabilize(Deque<Recommendation> history, Instant now, int recommendation, Duration window) {
        history.removeIf(r -> r.at().isBefore(now.minus(window)));
        int highest = recommendation;
        for (Recommendation r : history) highest = Math.max(highest, r.replicas());
        // An older entry not above this one can never be the answer again: this one outlives it.
        // Dropping it keeps the history short however often the controller runs.
        history.removeIf(r -> r.replicas() <= recommendation);
        history.addLast(new Recommendation(now, recommendation));
        return highest;
    }

    /** The clamped count and the ScalingLimited condition that explains it. */
    public record Limited(int replicas, boolean limited, String reason, String message) {}

    /**
     * {@code convertDesiredReplicasWithRules}: at most {@code max(2 × current, 4)} in one step
     * (the default scale-up rate), then within {@code [min, max]}.
     */
    public static Limited clamp(int currentReplicas, int desired, int minReplicas, int maxReplicas) {
        int scaleUpLimit = Math.max(2 * currentReplicas, 4);
        int ceiling = Math.min(scaleUpLimit, maxReplicas);
        if (desired < minReplicas) {
            return new Limited(minReplicas, true, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
        }
        if (desired > ceiling) {
            return ceiling == maxReplicas
                    ? new Limited(maxReplicas, true, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
                    : new Limited(scaleUpLimit, true, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate");
        }
        return new Limited(desired, false, "DesiredWithinRange", "the desired count is within the acceptable range");
    }
}
