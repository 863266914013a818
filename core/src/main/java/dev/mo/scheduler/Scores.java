package dev.mo.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * How the kube-scheduler turns each score plugin's raw numbers into 0-100 over the nodes that
 * passed the filters (keyed by node name), so that plugins can be weighed against each other.
 */
final class Scores {
    static final long MAX = 100;

    private Scores() {}

    /**
     * DefaultNormalizeScore: {@code 100 * raw / highest raw} (integer division); with
     * {@code reverse}, 100 minus that (fewer is better). All zero: 0 each, or 100 reversed.
     */
    static Map<String, Long> normalized(List<NodeInfo> nodes, ToLongFunction<NodeInfo> raw, boolean reverse) {
        Map<String, Long> out = rawScores(nodes, raw);
        long max = out.values().stream().mapToLong(Long::longValue).max().orElse(0);
        out.replaceAll((n, s) -> {
            long score = max == 0 ? 0 : MAX * s / max;
            return reverse ? MAX - score : score;
        });
        return out;
    }

    /** InterPodAffinity's: the lowest raw becomes 0 and the highest 100 (negative raws are allowed); all equal: 0. */
    static Map<String, Long> minMax(List<NodeInfo> nodes, ToLongFunction<NodeInfo> raw) {
        Map<String, Long> out = rawScores(nodes, raw);
        long min = out.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long max = out.values().stream().mapToLong(Long::longValue).max().orElse(0);
        out.replaceAll((n, s) -> max == min ? 0 : (long) (MAX * ((double) (s - min) / (max - min))));
        return out;
    }

    /**
     * PodTopologySpread's: fewer is better, {@code 100 * (max + min - raw) / max} over the nodes
     * given (integer division), so the lowest raw gets 100 and the highest {@code 100 * min / max};
     * all zero: 100 each. Raws 3, 2, 0: 0, 33, 100.
     */
    static Map<String, Long> fewerIsBetter(Map<String, Long> raw) {
        long min = raw.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long max = raw.values().stream().mapToLong(Long::longValue).max().orElse(0);
        Map<String, Long> out = new HashMap<>(raw);
        out.replaceAll((n, s) -> max == 0 ? MAX : MAX * (max + min - s) / max);
        return out;
    }

    private static Map<String, Long> rawScores(List<NodeInfo> nodes, ToLongFunction<NodeInfo> raw) {
        Map<String, Long> out = new HashMap<>();
        for (NodeInfo n : nodes) out.put(n.name(), raw.applyAsLong(n));
        return out;
    }
}
