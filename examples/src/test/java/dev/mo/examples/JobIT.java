package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs on a real Docker engine: three completions two at a time; a Job whose container fails
 * twice and then succeeds (it counts its tries in a file on a claim), with {@code backoffLimit: 3};
 * an Indexed Job whose pods each print their {@code JOB_COMPLETION_INDEX}; and one whose
 * {@code backoffLimit: 0} is spent by its first failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-jobs";
    static final String CLAIM_VOLUME = "mo-pvc-" + NS + "-tries";
    static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %1$s}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: three, namespace: %1$s}
            spec:
              completions: 3
              parallelism: 2
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: work
                      image: mo-example/hello:v1
                      command: [sh, -c, 'echo "work done by $HOSTNAME"']
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: tries, namespace: %1$s}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Mi}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: flaky, namespace: %1$s}
            spec:
              backoffLimit: 3
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: work
                      image: mo-example/hello:v1
                      command: [sh, -c, 'n=$(( $(cat /data/n 2>/dev/null || echo 0) + 1 )); echo $n > /data/n; echo "try $n"; [ $n -ge 3 ]']
                      volumeMounts: [{name: tries, mountPath: /data}]
                  volumes:
                    - name: tries
                      persistentVolumeClaim: {claimName: tries}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: indexed, namespace: %1$s}
            spec:
              completions: 3
              parallelism: 3
              completionMode: Indexed
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: work
                      image: mo-example/hello:v1
                      command: [sh, -c, 'echo "index $JOB_COMPLETION_INDEX"']
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: doomed, namespace: %1$s}
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: work
                      image: mo-example/hello:v1
                      command: [sh, -c, 'echo failing; exit 3']
            """.formatted(NS);

    AppOnMo app;
    MoProcess mo;

    @BeforeAll
    void start() throws Exception {
        Docker.run("volume", "rm", "-f", CLAIM_VOLUME); // left by an earlier, broken run
        app = AppOnMo.start("e2e-jobs", NS, MANIFESTS, false);
        mo = app.mo;
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (app != null) app.close();
        } finally {
            Docker.run("volume", "rm", "-f", CLAIM_VOLUME);
        }
    }

    JsonNode job(String name) throws Exception {
        return JSON.readTree(mo.mo("get", "job", name, "-n", NS, "-o", "json").out());
    }

    boolean hasCondition(String name, String type) throws Exception {
        for (JsonNode c : job(name).at("/status/conditions")) {
            if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return true;
        }
        return false;
    }

    @Test
    void threeCompletionsTwoAtATime() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> hasCondition("three", "Complete"));
        JsonNode status = job("three").path("status");
        assertEquals(3, status.path("succeeded").asInt(), status.toString());
        assertEquals(0, status.path("failed").asInt(), status.toString());
        String table = mo.mo("get", "jobs", "-n", NS).out();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("three ") && l.contains("Complete") && l.contains("3/3")), table);
        MoProcess.Result logs = mo.mo("logs", "job/three", "-n", NS);
        assertEquals(0, logs.exitCode(), logs.toString());
        assertTrue(logs.out().startsWith("work done by three-"), logs.out());
    }

    @Test
    void aJobThatFailsTwiceThenSucceedsIsComplete() throws Exception {
        // Two failures: the next pods wait 10 s, then 20 s (the pod failure back-off).
        await().atMost(Duration.ofSeconds(120)).until(() -> hasCondition("flaky", "Complete"));
        JsonNode status = job("flaky").path("status");
        assertEquals(1, status.path("succeeded").asInt(), status.toString());
        assertEquals(2, status.path("failed").asInt(), status.toString());
        String events = mo.mo("get", "events", "-n", NS).out();
        assertEquals(3, events.lines().filter(l -> l.contains("job/flaky") && l.contains("Created pod: flaky-")).count(), events);
    }

    @Test
    void eachIndexedPodKnowsItsIndex() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> hasCondition("indexed", "Complete"));
        assertEquals("0-2", job("indexed").at("/status/completedIndexes").asText());
        Set<String> printed = new TreeSet<>();
        for (String pod : mo.mo("get", "pods", "-n", NS, "-l", "job-name=indexed", "-o", "name").out().strip().split("\n")) {
            printed.add(mo.mo("logs", pod.replace("pod/", ""), "-n", NS).out().strip());
        }
        assertEquals(Set.of("index 0", "index 1", "index 2"), printed);
    }

    @Test
    void aSpentBackoffLimitFailsTheJob() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> hasCondition("doomed", "Failed"));
        JsonNode failed = null;
        for (JsonNode c : job("doomed").at("/status/conditions")) if ("Failed".equals(c.path("type").asText())) failed = c;
        assertEquals("BackoffLimitExceeded", failed.path("reason").asText(), failed.toString());
        assertTrue(mo.mo("get", "jobs", "-n", NS).out().lines().anyMatch(l -> l.startsWith("doomed ") && l.contains("Failed")));
    }
}
