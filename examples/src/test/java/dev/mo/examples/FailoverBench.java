package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replica's death costs behind mo's Ingress proxy, on a real Docker engine. Two
 * replicas (readiness probe every second), steady GETs through the proxy; one container is
 * killed with {@code docker kill}. Measured per round:
 * <ul>
 *   <li>failed requests (the proxy retries a refused GET on the other replica);
 *   <li>kill → the replica leaves the Endpoints (no new request is even tried on it);
 *   <li>kill → the restarted replica is back in the Endpoints (its readiness probe passed);
 *   <li>kill → it serves a request again (readmission, as seen by a client).
 * </ul>
 * Run with {@code bench/failover.sh [rounds]}.
 */
public final class FailoverBench {
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // One replica more than rounds, and a different one killed each round: a pod killed
        // twice waits out Kubernetes' restart back-off (10 s, 20 s, ...), which is not what
        // this measures.
        String manifests = ServicesIT.MANIFESTS.replace("replicas: 2", "replicas: " + (rounds + 1));
        try (AppOnMo app = AppOnMo.start("failover", ServicesIT.NS, manifests, true)) {
            MoProcess mo = app.mo;
            String url = app.ingress;
            waitUntil(() -> readyEndpoints(mo) == rounds + 1, Duration.ofSeconds(90));
            List<long[]> results = new ArrayList<>();
            List<String> killed = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                try (Load load = new Load(url, 100_000, Duration.ofSeconds(60)).start()) {
                    waitUntil(() -> load.ok.get() > 100, Duration.ofSeconds(10));
                    String victim = backendPods(mo).stream().filter(p -> !killed.contains(p)).findFirst().orElseThrow();
                    killed.add(victim);
                    String container = Docker.run("ps", "-q", "--filter", "label=mo.pod=" + victim).strip();
                    EndpointsWatch watch = new EndpointsWatch(mo, victim, "backend").start();
                    long t0 = System.nanoTime();
                    Docker.run("kill", container);
                    waitUntil(() -> watch.readmittedAt > 0, Duration.ofSeconds(60));
                    int servedBefore = load.answeredBy.getOrDefault(victim, 0);
                    waitUntil(() -> load.answeredBy.getOrDefault(victim, 0) > servedBefore, Duration.ofSeconds(60));
                    long back = System.nanoTime() - t0;
                    watch.close();
                    long left = watch.removedAt - t0;
                    load.close();
                    long readmitted = (watch.readmittedAt - t0) / 1_000_000;
                    System.out.printf("round %d: %d requests, %d failed; kill -> out of the Endpoints %d ms;"
                            + " kill -> back in the Endpoints %d ms; kill -> serving requests again %d ms%n", round,
                            load.ok.get() + load.failures.size(), load.failures.size(), left / 1_000_000,
                            readmitted, back / 1_000_000);
                    results.add(new long[] {load.failures.size(), left / 1_000_000, readmitted, back / 1_000_000});
                }
                waitUntil(() -> readyEndpoints(mo) == rounds + 1, Duration.ofSeconds(60));
            }
            System.out.printf("median of %d rounds: failed requests %d; kill -> out of the Endpoints %d ms;"
                            + " kill -> back in the Endpoints %d ms; kill -> serving requests again %d ms%n",
                    rounds, median(results, 0), median(results, 1), median(results, 2), median(results, 3));
        }
    }

    static long median(List<long[]> rows, int column) {
        return rows.stream().mapToLong(r -> r[column]).sorted().skip((rows.size() - 1) / 2).findFirst().orElse(0);
    }

    static int readyEndpoints(MoProcess mo) throws Exception {
        MoProcess.Result r = mo.mo("get", "endpoints", "backend", "-n", ServicesIT.NS, "-o", "json");
        int n = 0;
        for (JsonNode subset : JSON.readTree(r.out()).path("subsets")) n += subset.path("addresses").size();
        return n;
    }

    static List<String> backendPods(MoProcess mo) throws Exception {
        MoProcess.Result r = mo.mo("get", "pods", "-n", ServicesIT.NS, "-l", "app=backend", "-o", "json");
        List<String> names = new ArrayList<>();
        for (JsonNode p : JSON.readTree(r.out()).path("items")) names.add(p.at("/metadata/name").asText());
        return names;
    }

    interface Condition {
        boolean met() throws Exception;
    }

    static void waitUntil(Condition c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.met()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + timeout);
            Thread.sleep(20);
        }
    }

}
