package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ApiError;
import dev.mo.controlplane.ObjectService;
import dev.mo.controlplane.TestClock;
import dev.mo.controlplane.TestNodes;
import dev.mo.model.Jobs;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Job controller one pass at a time on a clock the test moves, over an in-memory store;
 * the test plays the agent (pods run, succeed and fail when it says so).
 */
class JobControllerTest {
    TestClock clock;
    ObjectService objects;
    JobController jobs;
    GarbageCollector gc;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        objects = new ObjectService(Store.inMemory(), clock);
        objects.create(Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}"), true);
        jobs = new JobController(objects);
        gc = new GarbageCollector(objects);
        objects.create(TestNodes.ready("n1"), true); // the node the test's pods run on
    }

    static ObjectNode job(String extraSpec) {
        return Json.parse("""
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"work","namespace":"default"},
                 "spec":{%s"template":{"spec":{"restartPolicy":"Never",
                   "containers":[{"name":"work","image":"busybox:1.36","command":["true"]}]}}}}"""
                .formatted(extraSpec.isEmpty() ? "" : extraSpec + ","));
    }

    void apply(ObjectNode job) { objects.apply(List.of(job), false); }

    ObjectNode work() { return objects.require(Kind.JOB, "default", "work"); }

    List<ObjectNode> pods() {
        return objects.list(Kind.POD, "default", LabelSelector.EVERYTHING).stream()
                .sorted(Comparator.comparing(p -> Json.text(p, "metadata.name"))).toList();
    }

    List<ObjectNode> active() { return pods().stream().filter(Pods::isActive).toList(); }

    /** Plays the scheduler and the agent: every new pod is on node n1 and running. */
    void run() {
        for (ObjectNode p : active()) {
            if ("Running".equals(Json.text(p, "status.phase"))) continue;
            objects.update(ObjectKey.of(p), pod -> {
                Json.objectAt(pod, "spec").put("nodeName", "n1");
                pod.set("status", Json.parse("""
                        {"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"%s"}],
                         "containerStatuses":[{"name":"work","ready":true,"restartCount":0,"state":{"running":{}}}]}"""
                        .formatted(Times.now(clock))));
                return pod;
            }, false);
        }
    }

    /** Plays the agent: the pod's container exits now with {@code exitCode} under restartPolicy Never. */
    void finish(ObjectNode pod, int exitCode) {
        objects.update(ObjectKey.of(pod), p -> {
            p.set("status", Json.parse("""
                    {"phase":"%s","conditions":[{"type":"Ready","status":"False"}],
                     "containerStatuses":[{"name":"work","ready":false,"restartCount":0,
                      "state":{"terminated":{"exitCode":%d,"reason":"%s","finishedAt":"%s"}}}]}"""
                    .formatted(exitCode == 0 ? "Succeeded" : "Failed", exitCode, exitCode == 0 ? "Completed" : "Error",
                            Times.now(clock))));
            return p;
        }, false);
    }

    JsonNode condition(String type) {
        for (JsonNode c : Json.at(work(), "status.conditions")) if (type.equals(c.path("type").asText())) return c;
        return null;
    }

    List<String> events() { return objects.events().eventsFor(work()).stream().map(e -> Json.text(e, "reason") + ": " + Json.text(e, "message")).toList(); }

    int status(String field) { return Json.integer(work(), "status." + field, -1); }

    @ParameterizedTest(name = "{0} failures → {1} s")
    @CsvSource({"0, 0", "1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "6, 320", "7, 360", "8, 360", "100, 360"})
    void theFailureBackoffDoublesFromTenSecondsUpToSixMinutes(int failures, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), JobController.failureBackoff(failures));
    }

    @Test
    void theApiServerGeneratesTheSelectorAndTheTemplateLabels() {
        apply(job(""));
        ObjectNode job = work();
        String uid = Meta.uid(job);
        assertEquals(Map.of(Jobs.CONTROLLER_UID, uid), Json.stringMap(job, "spec.selector.matchLabels"));
        assertEquals(Map.of("batch.kubernetes.io/controller-uid", uid, "batch.kubernetes.io/job-name", "work",
                "controller-uid", uid, "job-name", "work"), Json.stringMap(job, "spec.template.metadata.labels"));
        assertEquals(1, Json.integer(job, "spec.completions", -1));
        assertEquals(1, Json.integer(job, "spec.parallelism", -1));
        assertEquals(6, Json.integer(job, "spec.backoffLimit", -1));

        // applied again unchanged: unchanged (the generated selector is kept), and the template may not change
        assertEquals("unchanged", objects.apply(List.of(job("")), false).results().get(0).action());
        ObjectNode changed = job("");
        Json.objectAt(changed, "spec.template.spec").put("restartPolicy", "OnFailure");
        ApiError e = assertThrows(ApiError.class, () -> apply(changed));
        assertTrue(e.getMessage().contains("spec.template: field is immutable"), e.getMessage());
        apply(job("\"parallelism\":3")); // parallelism may change
        assertEquals(3, Json.integer(work(), "spec.parallelism", -1));
    }

    @Test
    void threeCompletionsTwoAtATime() {
        apply(job("\"completions\":3,\"parallelism\":2"));
        jobs.reconcile();
        assertEquals(2, active().size());
        assertEquals(Meta.uid(work()), ObjectService.controllerUid(pods().get(0)));
        assertEquals(Meta.uid(work()), Meta.labels(pods().get(0)).get(Jobs.CONTROLLER_UID));
        assertTrue(Meta.name(pods().get(0)).matches("work-[a-z0-9]{5}"), Meta.name(pods().get(0)));
        run();
        jobs.reconcile();
        assertEquals(2, status("active"));
        assertEquals(2, status("ready"));
        assertNotNull(Json.text(work(), "status.startTime"));

        finish(active().get(0), 0);
        jobs.reconcile();
        assertEquals(2, active().size(), "one succeeded, two still to do, two at a time");
        assertEquals(1, status("succeeded"));
        run();
        clock.advance(Duration.ofSeconds(30));
        active().forEach(p -> finish(p, 0));
        jobs.reconcile();
        assertEquals(0, active().size());
        assertEquals(3, pods().size(), "three pods in all");
        assertEquals(3, status("succeeded"));
        assertEquals("True", condition("Complete").path("status").asText());
        assertEquals(Times.now(clock), Json.text(work(), "status.completionTime"));
        List<String> events = events();
        assertEquals(3, events.stream().filter(e -> e.startsWith("SuccessfulCreate: Created pod: work-")).count(), events::toString);
        assertTrue(events.contains("Completed: Job completed"), events::toString);
        jobs.reconcile();
        assertEquals(3, pods().size(), "a complete Job makes no more pods");
    }

    @Test
    void failedPodsAreReplacedAfterTheBackoffUntilOneSucceeds() {
        apply(job("\"backoffLimit\":3"));
        jobs.reconcile();
        run();
        finish(active().get(0), 1);
        jobs.reconcile();
        assertEquals(0, active().size(), "the first failure waits 10 s");
        assertEquals(1, status("failed"));
        clock.advance(Duration.ofSeconds(9));
        jobs.reconcile();
        assertEquals(0, active().size(), "9 s is not yet 10 s");
        clock.advance(Duration.ofSeconds(1));
        jobs.reconcile();
        assertEquals(1, active().size(), "10 s after the first failure");

        run();
        clock.advance(Duration.ofSeconds(5));
        finish(active().get(0), 1);
        jobs.reconcile();
        clock.advance(Duration.ofSeconds(19));
        jobs.reconcile();
        assertEquals(0, active().size(), "the second failure in a row waits 20 s");
        clock.advance(Duration.ofSeconds(1));
        jobs.reconcile();
        assertEquals(1, active().size());

        run();
        finish(active().get(0), 0);
        jobs.reconcile();
        assertEquals(2, status("failed"));
        assertEquals(1, status("succeeded"));
        assertEquals("True", condition("Complete").path("status").asText());
        assertNull(condition("Failed"));
    }

    @Test
    void moreFailuresThanTheBackoffLimitFailTheJobAndDeleteItsRunningPods() {
        apply(job("\"completions\":4,\"parallelism\":2,\"backoffLimit\":1"));
        jobs.reconcile();
        run();
        finish(active().get(0), 1);
        jobs.reconcile();
        assertNull(condition("Failed"), "one failure is within backoffLimit 1");
        clock.advance(Duration.ofSeconds(10));
        jobs.reconcile();
        run();
        assertEquals(2, active().size());
        ObjectNode survivor = active().get(0);
        finish(active().get(1), 2);
        jobs.reconcile();

        JsonNode failed = condition("Failed");
        assertNotNull(failed);
        assertEquals("True", failed.path("status").asText());
        assertEquals("BackoffLimitExceeded", failed.path("reason").asText());
        assertEquals("Job has reached the specified backoff limit", failed.path("message").asText());
        assertEquals(2, status("failed"));
        assertEquals(0, status("active"));
        assertTrue(Meta.deleting(objects.require(Kind.POD, "default", Meta.name(survivor))), "the running pod is stopped");
        assertTrue(events().contains("BackoffLimitExceeded: Job has reached the specified backoff limit"), events()::toString);
        assertNull(Json.text(work(), "status.completionTime"), "a failed Job has no completionTime");
        clock.advance(Duration.ofMinutes(10));
        jobs.reconcile();
        assertEquals(0, active().size(), "a failed Job makes no more pods");
    }

    @Test
    void indexedJobGivesEachPodItsIndexAndNeedsOneSuccessPerIndex() {
        apply(job("\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\""));
        jobs.reconcile();
        Map<String, ObjectNode> byIndex = active().stream()
                .collect(Collectors.toMap(p -> Meta.annotations(p).get(Jobs.COMPLETION_INDEX), p -> p));
        assertEquals(Set.of("0", "1", "2"), byIndex.keySet());
        ObjectNode second = byIndex.get("1");
        assertTrue(Meta.name(second).startsWith("work-1-"), Meta.name(second));
        assertEquals("work-1", Json.text(second, "spec.hostname"));
        assertEquals("1", Meta.labels(second).get(Jobs.COMPLETION_INDEX));
        JsonNode env = Json.at(second, "spec.containers.0.env.0");
        assertEquals("JOB_COMPLETION_INDEX", env.path("name").asText());
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                env.at("/valueFrom/fieldRef/fieldPath").asText());

        run();
        finish(byIndex.get("0"), 0);
        finish(byIndex.get("1"), 1);
        finish(byIndex.get("2"), 0);
        jobs.reconcile();
        assertEquals("0,2", Json.text(work(), "status.completedIndexes"));
        assertEquals(2, status("succeeded"));
        assertNull(condition("Complete"));
        clock.advance(Duration.ofSeconds(10));
        jobs.reconcile();
        assertEquals(1, active().size(), "only index 1 is made again");
        assertEquals("1", Meta.annotations(active().get(0)).get(Jobs.COMPLETION_INDEX));
        run();
        finish(active().get(0), 0);
        jobs.reconcile();
        assertEquals("0-2", Json.text(work(), "status.completedIndexes"));
        assertEquals(3, status("succeeded"));
        assertEquals("True", condition("Complete").path("status").asText());
    }

    @Test
    void activeDeadlineSecondsFailsTheJob() {
        apply(job("\"activeDeadlineSeconds\":30"));
        jobs.reconcile();
        run();
        clock.advance(Duration.ofSeconds(29));
        jobs.reconcile();
        assertNull(condition("Failed"));
        clock.advance(Duration.ofSeconds(1));
        jobs.reconcile();
        assertEquals("DeadlineExceeded", condition("Failed").path("reason").asText());
        assertEquals("Job was active longer than specified deadline", condition("Failed").path("message").asText());
        assertTrue(Meta.deleting(pods().get(0)));
        assertTrue(events().contains("DeadlineExceeded: Job was active longer than specified deadline"), events()::toString);
    }

    @Test
    void suspendDeletesTheRunningPodsAndResumingMakesThemAgain() {
        apply(job("\"suspend\":true"));
        jobs.reconcile();
        assertEquals(0, pods().size());
        assertEquals("True", condition("Suspended").path("status").asText());
        assertEquals("JobSuspended", condition("Suspended").path("reason").asText());
        assertNull(Json.text(work(), "status.startTime"), "a Job created suspended has not started");

        apply(job("\"suspend\":false"));
        jobs.reconcile();
        assertEquals(1, active().size());
        assertEquals("False", condition("Suspended").path("status").asText());
        assertEquals(Times.now(clock), Json.text(work(), "status.startTime"));
        run();

        apply(job("\"suspend\":true"));
        jobs.reconcile();
        assertEquals(0, active().size(), "suspending stops the running pod");
        assertEquals("True", condition("Suspended").path("status").asText());
        finish(pods().get(0), 137); // the agent stops it: SIGKILL's exit code, phase Failed
        jobs.reconcile();
        assertEquals(0, status("failed"), "a pod stopped by suspend is no failure");
        assertTrue(events().containsAll(List.of("Suspended: Job suspended", "Resumed: Job resumed")), events()::toString);
    }

    @Test
    void ttlSecondsAfterFinishedDeletesTheJobAndThenItsPods() {
        apply(job("\"ttlSecondsAfterFinished\":60"));
        jobs.reconcile();
        run();
        finish(active().get(0), 0);
        jobs.reconcile();
        assertNotNull(condition("Complete"));
        clock.advance(Duration.ofSeconds(59));
        jobs.reconcile();
        assertTrue(objects.get(Kind.JOB, "default", "work").isPresent(), "59 s after it finished");
        clock.advance(Duration.ofSeconds(1));
        jobs.reconcile();
        assertTrue(objects.get(Kind.JOB, "default", "work").isEmpty(), "60 s after it finished");
        gc.reconcile();
        assertTrue(pods().stream().allMatch(Meta::deleting), "the garbage collector deletes the Job's pods");
    }

    @Test
    void deletingTheJobDeletesItsPods() {
        apply(job("\"completions\":2,\"parallelism\":2"));
        jobs.reconcile();
        run();
        assertEquals(2, active().size());
        gc.reconcile();
        assertEquals(2, active().size(), "owned by a live Job");
        objects.delete(Kind.JOB, "default", "work");
        gc.reconcile();
        assertEquals(Set.of(true), pods().stream().map(Meta::deleting).collect(Collectors.toCollection(TreeSet::new)));
    }
}
