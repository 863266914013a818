package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.Quantity;
import dev.mo.model.Json;
import dev.mo.model.Pods;
import dev.mo.scheduler.Resources;

import java.time.Clock;
import java.util.List;

/**
 * The two sections of {@code kubectl describe node} that say what its pods take: each
 * non-terminated pod's cpu and memory requests and limits with their share of the node's
 * allocatable, and the totals. Requests are what the scheduler counts when it places a pod.
 */
final class NodeAllocation {
    private NodeAllocation() {}

    static void write(DescribeWriter w, ObjectNode node, List<ObjectNode> pods, Clock clock) {
        Resources allocatable = Resources.allocatable(node);
        List<ObjectNode> running = pods.stream()
                .filter(p -> Json.text(node, "metadata.name").equals(Json.text(p, "spec.nodeName")) && !Pods.finished(p))
                .toList();
        w.write(0, "Non-terminated Pods:\t(" + running.size() + " in total)\n");
        w.write(1, "Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
        w.write(1, "---------\t----\t------------\t----------\t---------------\t-------------\t---\n");
        Resources requested = Resources.NONE, limited = Resources.NONE;
        for (ObjectNode pod : running) {
            Resources req = Resources.podRequests(pod);
            Resources lim = limits(pod);
            requested = requested.plus(req);
            limited = limited.plus(lim);
            w.write(1, Json.text(pod, "metadata.namespace") + "\t" + Json.text(pod, "metadata.name") + "\t"
                    + cpu(req, allocatable) + "\t" + cpu(lim, allocatable) + "\t"
                    + memory(req, allocatable) + "\t" + memory(lim, allocatable) + "\t" + Fields.age(pod, clock) + "\n");
        }
        w.write(0, "Allocated resources:\n");
        w.write(1, "(Total limits may be over 100 percent, i.e., overcommitted.)\n");
        w.write(1, "Resource\tRequests\tLimits\n");
        w.write(1, "--------\t--------\t------\n");
        w.write(1, "cpu\t" + cpu(requested, allocatable) + "\t" + cpu(limited, allocatable) + "\n");
        w.write(1, "memory\t" + memory(requested, allocatable) + "\t" + memory(limited, allocatable) + "\n");
    }

    /** The pod's containers' limits, added up (a container without one counts 0, as kubectl counts it). */
    static Resources limits(ObjectNode pod) {
        Resources sum = Resources.NONE;
        for (JsonNode c : Json.at(pod, "spec.containers")) {
            JsonNode l = c.path("resources").path("limits");
            long cpu = l.hasNonNull("cpu") && Quantity.isValid(l.path("cpu").asText()) ? Quantity.parseMillis(l.path("cpu").asText()) : 0;
            long mem = l.hasNonNull("memory") && Quantity.isValid(l.path("memory").asText()) ? Quantity.parseBytes(l.path("memory").asText()) : 0;
            sum = sum.plus(new Resources(cpu, mem));
        }
        return sum;
    }

    /** {@code 250m (12%)}: the share is truncated, as kubectl computes it. */
    static String cpu(Resources r, Resources allocatable) {
        long m = r.cpuMillis();
        String amount = m % 1000 == 0 ? Long.toString(m / 1000) : m + "m";
        return amount + " (" + percent(m, allocatable.cpuMillis()) + "%)";
    }

    /** {@code 64Mi (3%)}: the largest binary suffix that divides the bytes exactly, else bytes. */
    static String memory(Resources r, Resources allocatable) {
        long b = r.memoryBytes();
        String amount = Long.toString(b);
        String[] suffixes = {"Ki", "Mi", "Gi", "Ti"};
        for (int i = suffixes.length - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (b != 0 && b % unit == 0) {
                amount = (b / unit) + suffixes[i];
                break;
            }
        }
        return amount + " (" + percent(b, allocatable.memoryBytes()) + "%)";
    }

    private static long percent(long part, long whole) {
        if (whole <= 0 || whole == Long.MAX_VALUE) return 0;
        return (long) ((double) part / whole * 100);
    }
}
