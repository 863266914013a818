package dev.mo.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.AgentConfig;
import dev.mo.agent.AgentProcess;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.runtime.FakeRuntime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Controllers, scheduler and agents at scale, over the fake runtime: one Deployment of
 * N pods on M nodes, timed from the apply until every pod is bound to a node, and until
 * every pod is reported Running. Run with {@code bench/control-plane.sh [pods] [nodes]}.
 */
public final class ControlPlaneBench {
    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 1; round <= rounds; round++) {
            runOnce(pods, nodes, round);
        }
    }

    private static void runOnce(int pods, int nodes, int round) throws Exception {
        try (ControlPlane cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofSeconds(1))) {
            List<AgentProcess> agents = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                AgentConfig config = AgentConfig.of("node-" + i, "127.0.0.1", "bench");
                agents.add(AgentProcess.start(config, cp.nodes(), new FakeRuntime()));
            }
            waitFor(() -> cp.store().list(Kind.NODE, null).size() == nodes, Duration.ofSeconds(30));

            ObjectNode deployment = Json.parse("""
                    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bench","namespace":"default"},
                     "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"bench"}},
                      "template":{"metadata":{"labels":{"app":"bench"}},
                       "spec":{"containers":[{"name":"app","image":"bench:1"}]}}}}""".formatted(pods));
            long start = System.nanoTime();
            cp.objects().apply(List.of(deployment), false);
            waitFor(() -> count(cp, p -> Json.text(p, "spec.nodeName") != null) == pods, Duration.ofMinutes(5));
            double bound = seconds(start);
            waitFor(() -> count(cp, p -> "Running".equals(Json.text(p, "status.phase"))) == pods, Duration.ofMinutes(5));
            double running = seconds(start);
            System.out.printf("round %d: %d pods on %d nodes: all bound in %.2f s (%.0f pods/s), all Running in %.2f s (%.0f pods/s)%n",
                    round, pods, nodes, bound, pods / bound, running, pods / running);
            agents.forEach(AgentProcess::close);
        }
    }

    private static long count(ControlPlane cp, java.util.function.Predicate<ObjectNode> p) {
        return cp.objects().list(Kind.POD, "default", LabelSelector.EVERYTHING).stream().filter(p).count();
    }

    private static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + timeout);
            Thread.sleep(25); // the check itself reads every pod: not too often
        }
    }
}
