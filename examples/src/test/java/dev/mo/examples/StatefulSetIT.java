package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 5's StatefulSet on a real Docker engine: a headless Service and a StatefulSet of three
 * with a claim template and a readiness probe. Pods come up one by one in order, each ordinal
 * keeps its claim and Docker volume (and its data) across a deletion, each pod is reachable by
 * its own name from another pod, updates roll from the highest ordinal down (and stop at a
 * partition), and scaling down removes the highest ordinal first and keeps the claims. A second
 * set shows {@code ordinals.start}, {@code OnDelete}, {@code minReadySeconds} and claims deleted
 * as its retention policy says.
 *
 * <p>Every change to the node's pods is recorded by {@link PodHistory}, the long poll the agent
 * itself uses, so the order of what happened is checked on what the control plane stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-sts";
    static final String SET = "web";
    static final Duration ROLLOUT = Duration.ofSeconds(120);

    /** %1$s: the namespace, %2$s: the image tag, %3$d: the partition, %4$d: the replicas. */
    static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %1$s}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: %1$s}
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{name: http, port: 8080, targetPort: http}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web, namespace: %1$s}
            spec:
              serviceName: web
              replicas: %4$d
              selector: {matchLabels: {app: web}}
              updateStrategy:
                type: RollingUpdate
                rollingUpdate: {partition: %3$d}
              template:
                metadata: {labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                    - name: web
                      image: mo-example/hello:%2$s
                      ports: [{name: http, containerPort: 8080}]
                      volumeMounts: [{name: data, mountPath: /data}]
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                        periodSeconds: 1
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec:
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 16Mi}}
            """;

    /**
     * A second set beside {@code web}: ordinals from 1, replaced only when deleted (OnDelete),
     * available 2 s after Ready, and its claims deleted with it. %1$s: the namespace, %2$s: the
     * image tag, %3$d: the replicas.
     */
    static final String CACHE = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: cache, namespace: %1$s}
            spec:
              serviceName: web
              replicas: %3$d
              minReadySeconds: 2
              ordinals: {start: 1}
              selector: {matchLabels: {app: cache}}
              updateStrategy: {type: OnDelete}
              persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}
              template:
                metadata: {labels: {app: cache}}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                    - name: cache
                      image: mo-example/hello:%2$s
                      ports: [{name: http, containerPort: 8080}]
                      volumeMounts: [{name: data, mountPath: /data}]
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                        periodSeconds: 1
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec:
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 16Mi}}
            """;

    static String manifests(String tag, int partition, int replicas) {
        return MANIFESTS.formatted(NS, tag, partition, replicas);
    }

    AppOnMo app;
    MoProcess mo;
    PodHistory history;

    @BeforeAll
    void start() throws Exception {
        removeVolumes(); // left by an earlier, broken run
        // the namespace first, so that the history sees the set's pods from the very first one
        app = AppOnMo.start("e2e-sts", NS, "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NS + "}\n", false);
        mo = app.mo;
        history = new PodHistory(mo, app.node).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> history.size() > 0);
        apply(manifests("v1", 0, 3));
    }

    @AfterAll
    void stop() throws Exception {
        if (history != null) history.close();
        try {
            if (app != null) app.close();
        } finally {
            removeVolumes();
        }
    }

    static void removeVolumes() throws Exception {
        for (int i = 0; i < 3; i++) Docker.run("volume", "rm", "-f", volume(i), "mo-pvc-" + NS + "-data-cache-" + i);
    }

    static String pod(int ordinal) { return SET + "-" + ordinal; }

    static String claim(int ordinal) { return "data-" + SET + "-" + ordinal; }

    /** The Docker volume mo makes for a claim: {@code mo-pvc-NAMESPACE-CLAIM}. */
    static String volume(int ordinal) { return "mo-pvc-" + NS + "-" + claim(ordinal); }

    JsonNode get(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("get"));
        all.addAll(List.of(args));
        all.addAll(List.of("-n", NS, "-o", "json"));
        MoProcess.Result r = mo.mo(all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        return JSON.readTree(r.out());
    }

    /** The set's pods by name, in the order of their names. */
    Map<String, JsonNode> pods() throws Exception {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode p : get("pods", "-l", "app=web").path("items")) out.put(p.at("/metadata/name").asText(), p);
        return out;
    }

    static boolean runningAndReady(JsonNode pod) {
        if (!"Running".equals(pod.at("/status/phase").asText()) || pod.at("/metadata/deletionTimestamp").isTextual()) {
            return false;
        }
        for (JsonNode c : pod.at("/status/conditions")) {
            if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
        }
        return false;
    }

    /** Waits until exactly these ordinals exist, all Running and Ready, with this image. */
    void awaitReady(int replicas, Map<Integer, String> images) {
        await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, JsonNode> pods = pods();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < replicas; i++) expected.add(pod(i));
            assertEquals(expected, List.copyOf(pods.keySet()));
            for (int i = 0; i < replicas; i++) {
                JsonNode p = pods.get(pod(i));
                assertTrue(runningAndReady(p), pod(i) + " is not Running and Ready");
                assertEquals(images.get(i), p.at("/spec/containers/0/image").asText(), pod(i));
            }
        });
    }

    String containerOf(String pod) throws Exception {
        String id = Docker.run("ps", "-q", "--filter", "label=mo.pod=" + pod, "--filter", "label=mo.namespace=" + NS).strip();
        assertFalse(id.isEmpty() || id.contains("\n"), "one running container for " + pod + ": " + id);
        return id;
    }

    String exec(String pod, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("exec", containerOf(pod)));
        args.addAll(List.of(command));
        return Docker.run(args.toArray(String[]::new));
    }

    String uid(String pod) throws Exception {
        return pods().get(pod).at("/metadata/uid").asText();
    }

    static Map<Integer, String> images(String... tags) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i++) out.put(i, "mo-example/hello:" + tags[i]);
        return out;
    }

    void apply(String yaml) throws Exception {
        Files.writeString(app.manifests, yaml);
        MoProcess.Result r = mo.mo("apply", "-f", app.manifests.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), "no warning for a headless Service and a StatefulSet");
    }

    @Test
    @Order(1)
    void podsComeUpOneByOneInOrderEachWithItsOwnClaimAndVolume() throws Exception {
        awaitReady(3, images("v1", "v1", "v1"));
        // Each ordinal appeared only once the one below it was Running and Ready.
        for (int i = 1; i < 3; i++) {
            PodHistory.Snapshot first = history.firstWith(pod(i));
            assertNotNull(first, pod(i) + " was never seen");
            assertTrue(first.readyPods.contains(pod(i - 1)),
                    pod(i) + " appeared while " + pod(i - 1) + " was not Running and Ready: " + first);
        }
        Map<String, JsonNode> pods = pods();
        for (int i = 0; i < 3; i++) {
            JsonNode p = pods.get(pod(i));
            assertEquals(pod(i), p.at("/spec/hostname").asText());
            assertEquals(SET, p.at("/spec/subdomain").asText());
            assertEquals(claim(i), p.at("/spec/volumes/0/persistentVolumeClaim/claimName").asText());
            // each claim is mounted from its own volume
            String mounts = Docker.run("inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}", containerOf(pod(i)));
            assertTrue(mounts.contains(volume(i)), pod(i) + " mounts " + mounts);
        }
        List<String> claims = new ArrayList<>();
        for (JsonNode c : get("pvc").path("items")) {
            claims.add(c.at("/metadata/name").asText() + "=" + c.at("/status/phase").asText());
        }
        assertEquals(List.of(claim(0) + "=Bound", claim(1) + "=Bound", claim(2) + "=Bound"), claims);
        for (int i = 0; i < 3; i++) assertEquals(volume(i), Docker.run("volume", "inspect", "-f", "{{.Name}}", volume(i)).strip());
    }

    @Test
    @Order(2)
    void eachPodIsReachedByItsOwnNameFromAnotherPod() throws Exception {
        for (String name : List.of(pod(1) + "." + SET + "." + NS + ".svc.cluster.local", pod(1) + "." + SET,
                pod(1) + "." + SET + "." + NS)) {
            // a name is written to the hosts files shortly after its pod is ready: wget fails until then
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals("hello from web-1 (v1)",
                    exec(pod(0), "timeout", "5", "wget", "-qO-", "http://" + name + ":8080/").strip(), name));
        }
        // pod 2 by its name as well: each name leads to its own pod, not to any pod of the Service
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals("hello from web-2 (v1)",
                exec(pod(0), "timeout", "5", "wget", "-qO-", "http://web-2.web:8080/").strip()));
        // the headless Service's own name leads to one of its ready pods
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertTrue(
                exec(pod(2), "timeout", "5", "wget", "-qO-", "http://web:8080/").startsWith("hello from web-")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            MoProcess.Result describe = mo.mo("describe", "service", SET, "-n", NS);
            assertEquals(0, describe.exitCode(), describe.toString());
            assertTrue(describe.out().matches("(?s).*Pod Addresses:\\s+web-0\\.web\\.e2e-sts\\.svc\\.cluster\\.local 10\\.244\\.\\d+\\.\\d+\n"
                    + "\\s+web-1\\.web\\.e2e-sts\\.svc\\.cluster\\.local 10\\.244\\.\\d+\\.\\d+\n"
                    + "\\s+web-2\\.web\\.e2e-sts\\.svc\\.cluster\\.local 10\\.244\\.\\d+\\.\\d+\n.*"), describe.out());
        });
    }

    @Test
    @Order(3)
    void aDeletedPodComesBackWithItsNameClaimDataAndAddress() throws Exception {
        String marker = "kept " + UUID.randomUUID();
        exec(pod(1), "sh", "-c", "echo '" + marker + "' > /data/marker");
        String oldUid = uid(pod(1));
        Map<String, String> addressesBefore = podAddresses();
        assertEquals(3, addressesBefore.size(), addressesBefore.toString());

        MoProcess.Result deleted = mo.mo("delete", "pod", pod(1), "-n", NS);
        assertEquals(0, deleted.exitCode(), deleted.toString());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertNotEquals(oldUid, uid(pod(1)));
            assertTrue(runningAndReady(pods().get(pod(1))));
        });
        assertEquals(claim(1), pods().get(pod(1)).at("/spec/volumes/0/persistentVolumeClaim/claimName").asText());
        assertEquals(marker, exec(pod(1), "cat", "/data/marker").strip());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(addressesBefore, podAddresses()));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals("hello from web-1 (v1)",
                exec(pod(0), "timeout", "5", "wget", "-qO-", "http://web-1.web:8080/").strip()));
    }

    Map<String, String> podAddresses() throws Exception {
        JsonNode ep = JSON.readTree(mo.mo("get", "endpoints", SET, "-n", NS, "-o", "json").out());
        String annotation = ep.at("/metadata/annotations").path("mo.dev/pod-addresses").asText("{}");
        Map<String, String> out = new java.util.TreeMap<>();
        JSON.readTree(annotation).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @Test
    @Order(4)
    void anUpdateRollsFromTheHighestOrdinalDown() throws Exception {
        int from = history.size();
        apply(manifests("v2", 0, 3));
        awaitReady(3, images("v2", "v2", "v2"));
        List<String> order = history.newPodsSince(from);
        assertEquals(List.of(pod(2), pod(1), pod(0)), order);
        history.assertAtMostOneOrdinalDownSince(from, 3);
    }

    @Test
    @Order(5)
    void withAPartitionOnlyTheOrdinalsAtOrAboveItChange() throws Exception {
        int from = history.size();
        String uid0 = uid(pod(0));
        apply(manifests("v1", 1, 3));
        awaitReady(3, images("v2", "v1", "v1"));
        assertEquals(List.of(pod(2), pod(1)), history.newPodsSince(from));
        // pod 0 stays as it was while the set settles: same pod, old image, never deleted
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(uid0, uid(pod(0)));
            assertEquals("mo-example/hello:v2", pods().get(pod(0)).at("/spec/containers/0/image").asText());
        });
        assertEquals(List.of(pod(2), pod(1)), history.newPodsSince(from));
        JsonNode set = get("statefulset", SET);
        assertEquals(2, set.at("/status/updatedReplicas").asInt(), set.toString());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals("hello from web-0 (v2)",
                exec(pod(1), "timeout", "5", "wget", "-qO-", "http://web-0.web:8080/").strip()));
    }

    @Test
    @Order(6)
    void scalingDownRemovesTheHighestOrdinalFirstAndKeepsTheClaims() throws Exception {
        int from = history.size();
        String uid0 = uid(pod(0));
        MoProcess.Result scaled = mo.mo("scale", "statefulset/" + SET, "--replicas", "1", "-n", NS);
        assertEquals(0, scaled.exitCode(), scaled.toString());
        await().atMost(ROLLOUT).untilAsserted(() -> assertEquals(List.of(pod(0)), List.copyOf(pods().keySet())));
        assertEquals(uid0, uid(pod(0)));
        // pod 1 began to go only once pod 2 was gone
        boolean sawPod1Leave = false;
        for (PodHistory.Snapshot s : history.since(from)) {
            boolean pod1Leaving = !s.pods.containsKey(pod(1)) || s.deleting.contains(pod(1));
            if (pod1Leaving) {
                sawPod1Leave = true;
                assertFalse(s.pods.containsKey(pod(2)), pod(1) + " was being deleted while " + pod(2) + " existed: " + s);
            }
        }
        assertTrue(sawPod1Leave);
        List<String> claims = new ArrayList<>();
        for (JsonNode c : get("pvc").path("items")) claims.add(c.at("/metadata/name").asText());
        assertEquals(List.of(claim(0), claim(1), claim(2)), claims);
        for (int i = 0; i < 3; i++) assertEquals(volume(i), Docker.run("volume", "inspect", "-f", "{{.Name}}", volume(i)).strip());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(java.util.Set.of(pod(0)), podAddresses().keySet()));
    }

    @Test
    @Order(7)
    void onDeleteOrdinalsStartMinReadySecondsAndClaimsDeletedWithTheSet() throws Exception {
        Files.writeString(app.manifests, CACHE.formatted(NS, "v1", 2));
        MoProcess.Result applied = mo.mo("apply", "-f", app.manifests.toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        assertEquals("", applied.err(), "every field of the set is acted on: no warning");
        java.util.concurrent.atomic.AtomicBoolean readyNotYetAvailable = new java.util.concurrent.atomic.AtomicBoolean();
        await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode status = get("statefulset", "cache").path("status");
            if (status.path("readyReplicas").asInt() > status.path("availableReplicas").asInt()) readyNotYetAvailable.set(true);
            assertEquals(List.of("cache-1", "cache-2"), List.copyOf(cachePods().keySet()), "ordinals start at 1");
            for (JsonNode p : cachePods().values()) assertTrue(runningAndReady(p), p.at("/metadata/name").asText());
            assertEquals(2, status.path("availableReplicas").asInt());
        });
        assertTrue(readyNotYetAvailable.get(), "minReadySeconds: a Ready pod counted as available only 2 s later");
        assertEquals(List.of("data-cache-1", "data-cache-2"), cacheClaims());

        // OnDelete: a new template replaces no pod by itself...
        Map<String, String> uids = new LinkedHashMap<>();
        cachePods().forEach((name, p) -> uids.put(name, p.at("/metadata/uid").asText()));
        Files.writeString(app.manifests, CACHE.formatted(NS, "v2", 2));
        assertEquals(0, mo.mo("apply", "-f", app.manifests.toString()).exitCode());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = get("statefulset", "cache").path("status");
            assertNotEquals(status.path("currentRevision").asText(), status.path("updateRevision").asText(), status.toString());
        });
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> cachePods().forEach((name, p) -> {
            assertEquals(uids.get(name), p.at("/metadata/uid").asText(), name);
            assertEquals("mo-example/hello:v1", p.at("/spec/containers/0/image").asText(), name);
        }));
        // ...a pod the user deletes comes back from it.
        assertEquals(0, mo.mo("delete", "pod", "cache-2", "-n", NS).exitCode());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            JsonNode p = cachePods().get("cache-2");
            assertNotNull(p);
            assertNotEquals(uids.get("cache-2"), p.at("/metadata/uid").asText());
            assertEquals("mo-example/hello:v2", p.at("/spec/containers/0/image").asText());
            assertTrue(runningAndReady(p));
        });
        assertEquals(uids.get("cache-1"), cachePods().get("cache-1").at("/metadata/uid").asText());

        // whenScaled: Delete: the claim of the ordinal scaled away goes once its pod is gone.
        assertEquals(0, mo.mo("scale", "statefulset/cache", "--replicas", "1", "-n", NS).exitCode());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertEquals(List.of("cache-1"), List.copyOf(cachePods().keySet()));
            assertEquals(List.of("data-cache-1"), cacheClaims());
        });
        // whenDeleted: Delete: the rest go with the set; the web set's claims stay.
        assertEquals(0, mo.mo("delete", "statefulset", "cache", "-n", NS).exitCode());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertEquals(Map.of(), cachePods());
            assertEquals(List.of(), cacheClaims());
        });
        List<String> claims = new ArrayList<>();
        for (JsonNode c : get("pvc").path("items")) claims.add(c.at("/metadata/name").asText());
        assertEquals(List.of(claim(0), claim(1), claim(2)), claims);
    }

    Map<String, JsonNode> cachePods() throws Exception {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode p : get("pods", "-l", "app=cache").path("items")) out.put(p.at("/metadata/name").asText(), p);
        return out;
    }

    List<String> cacheClaims() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode c : get("pvc").path("items")) {
            String name = c.at("/metadata/name").asText();
            if (name.startsWith("data-cache-")) out.add(name);
        }
        return out;
    }

    /**
     * Every state of the node's pods in the namespace, as the agents' long poll hands them out:
     * each answer is one consistent view of the store.
     */
    static final class PodHistory implements AutoCloseable {
        /** One answer: the pods present (name → uid), the Running and Ready ones, those being deleted. */
        record Snapshot(Map<String, String> pods, List<String> readyPods, List<String> deleting) {}

        private final List<Snapshot> snapshots = Collections.synchronizedList(new ArrayList<>());
        private final LongPoll poll;

        PodHistory(MoProcess mo, String node) {
            this.poll = new LongPoll(mo, "/api/node/" + node + "/pods", this::record);
        }

        PodHistory start() {
            poll.start();
            return this;
        }

        private void record(JsonNode answer) {
            Map<String, String> pods = new java.util.TreeMap<>();
            List<String> ready = new ArrayList<>(), deleting = new ArrayList<>();
            for (JsonNode p : answer.path("items")) {
                if (!NS.equals(p.at("/metadata/namespace").asText())) continue;
                String name = p.at("/metadata/name").asText();
                pods.put(name, p.at("/metadata/uid").asText());
                if (runningAndReady(p)) ready.add(name);
                if (p.at("/metadata/deletionTimestamp").isTextual()) deleting.add(name);
            }
            Snapshot s = new Snapshot(pods, ready, deleting);
            if (snapshots.isEmpty() || !snapshots.get(snapshots.size() - 1).equals(s)) snapshots.add(s);
        }

        int size() { return snapshots.size(); }

        List<Snapshot> since(int index) {
            synchronized (snapshots) {
                return List.copyOf(snapshots.subList(index, snapshots.size()));
            }
        }

        /** The first snapshot in which the pod appears, or null. */
        Snapshot firstWith(String pod) {
            for (Snapshot s : since(0)) if (s.pods.containsKey(pod)) return s;
            return null;
        }

        /** Pods (by name) that got a new uid after {@code index}, in the order they first appeared. */
        List<String> newPodsSince(int index) {
            List<Snapshot> all = since(0);
            Map<String, String> known = new LinkedHashMap<>(index > 0 ? all.get(index - 1).pods : Map.of());
            List<String> out = new ArrayList<>();
            for (Snapshot s : all.subList(index, all.size())) {
                s.pods.forEach((name, uid) -> {
                    if (!uid.equals(known.get(name))) {
                        known.put(name, uid);
                        out.add(name);
                    }
                });
            }
            return out;
        }

        /** A rolling update changes one pod at a time: never two of the ordinals missing or unready at once. */
        void assertAtMostOneOrdinalDownSince(int index, int replicas) {
            for (Snapshot s : since(index)) {
                int down = 0;
                for (int i = 0; i < replicas; i++) if (!s.readyPods.contains(pod(i))) down++;
                assertTrue(down <= 1, "more than one pod down at once: " + s);
            }
        }

        @Override
        public void close() {
            poll.close();
        }
    }
}
