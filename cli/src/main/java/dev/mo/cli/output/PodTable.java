package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get pods}: READY, STATUS and RESTARTS computed as kubectl's {@code printPod}. */
final class PodTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
                List.of("IP", "NODE", "NOMINATED NODE", "READINESS GATES"));
    }

    @Override
    public List<String> row(ObjectNode pod, boolean wide, Clock clock) {
        Summary s = summarize(pod);
        String restarts = String.valueOf(s.restarts);
        if (s.restarts != 0 && s.lastRestart != null) {
            restarts = s.restarts + " (" + HumanDuration.since(s.lastRestart.toString(), clock) + " ago)";
        }
        List<String> base = List.of(str(pod, "metadata.name"), s.ready + "/" + s.total, s.status, restarts, age(pod, clock));
        if (!wide) return base;
        return KindTable.plusWide(true, base, List.of(orNone(podIP(pod)), orNone(str(pod, "spec.nodeName")),
                orNone(str(pod, "status.nominatedNodeName")), readinessGates(pod)));
    }

    record Summary(int ready, int total, String status, int restarts, Instant lastRestart) {}

    /** kubectl's STATUS, READY and RESTARTS logic (pkg/printers/internalversion printPod). */
    static Summary summarize(JsonNode pod) {
        String phase = str(pod, "status.phase");
        String reason = str(pod, "status.reason", phase);
        for (JsonNode c : list(pod, "status.conditions")) {
            if (str(c, "type").equals("PodScheduled") && str(c, "reason").equals("SchedulingGated")) reason = "SchedulingGated";
        }
        int total = list(pod, "spec.containers").size();
        int ready = 0;
        int restarts = 0;
        Instant lastRestart = null;

        Map<String, JsonNode> initSpecs = new HashMap<>();
        for (JsonNode c : list(pod, "spec.initContainers")) {
            initSpecs.put(str(c, "name"), c);
            if (isSidecar(c)) total++;
        }
        int sidecarRestarts = 0;
        Instant lastSidecarRestart = null;
        boolean initializing = false;
        List<JsonNode> initStatuses = list(pod, "status.initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode c = initStatuses.get(i);
            restarts += (int) num(c, "restartCount", 0);
            lastRestart = later(lastRestart, str(c, "lastState.terminated.finishedAt"));
            boolean sidecar = isSidecar(initSpecs.get(str(c, "name")));
            if (sidecar) {
                sidecarRestarts += (int) num(c, "restartCount", 0);
                lastSidecarRestart = later(lastSidecarRestart, str(c, "lastState.terminated.finishedAt"));
            }
            JsonNode terminated = c.path("state").path("terminated");
            JsonNode waiting = c.path("state").path("waiting");
            if (terminated.isObject() && num(terminated, "exitCode", 0) == 0) continue;
            if (sidecar && bool(c, "started")) {
                if (bool(c, "ready")) ready++;
                continue;
            }
            if (terminated.isObject()) {
                if (str(terminated, "reason").isEmpty()) {
                    reason = num(terminated, "signal", 0) != 0 ? "Init:Signal:" + num(terminated, "signal", 0)
                            : "Init:ExitCode:" + num(terminated, "exitCode", 0);
                } else {
                    reason = "Init:" + str(terminated, "reason");
                }
            } else if (waiting.isObject() && !str(waiting, "reason").isEmpty() && !str(waiting, "reason").equals("PodInitializing")) {
                reason = "Init:" + str(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + list(pod, "spec.initContainers").size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionTrue(pod, "Initialized")) {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = list(pod, "status.containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode c = statuses.get(i);
                restarts += (int) num(c, "restartCount", 0);
                lastRestart = later(lastRestart, str(c, "lastState.terminated.finishedAt"));
                JsonNode state = c.path("state");
                if (!str(state, "waiting.reason").isEmpty()) {
                    reason = str(state, "waiting.reason");
                } else if (state.path("terminated").isObject()) {
                    JsonNode t = state.path("terminated");
                    if (!str(t, "reason").isEmpty()) reason = str(t, "reason");
                    else if (num(t, "signal", 0) != 0) reason = "Signal:" + num(t, "signal", 0);
                    else reason = "ExitCode:" + num(t, "exitCode", 0);
                } else if (bool(c, "ready") && state.path("running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason.equals("Completed") && hasRunning) {
                reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
            }
        }

        boolean deleting = has(pod, "metadata.deletionTimestamp");
        if (deleting && str(pod, "status.reason").equals("NodeLost")) {
            reason = "Unknown";
        } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }
        return new Summary(ready, total, reason, restarts, lastRestart);
    }

    static String podIP(JsonNode pod) {
        List<JsonNode> ips = list(pod, "status.podIPs");
        return ips.isEmpty() ? str(pod, "status.podIP") : str(ips.get(0), "ip");
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = list(pod, "spec.readinessGates");
        if (gates.isEmpty()) return "<none>";
        int trueCount = 0;
        for (JsonNode g : gates) {
            for (JsonNode c : list(pod, "status.conditions")) {
                if (str(c, "type").equals(str(g, "conditionType"))) {
                    if (str(c, "status").equals("True")) trueCount++;
                    break;
                }
            }
        }
        return trueCount + "/" + gates.size();
    }

    private static boolean isSidecar(JsonNode initContainer) {
        return initContainer != null && "Always".equals(Json.text(initContainer, "restartPolicy"));
    }

    private static boolean conditionTrue(JsonNode pod, String type) {
        for (JsonNode c : list(pod, "status.conditions")) {
            if (str(c, "type").equals(type)) return str(c, "status").equals("True");
        }
        return false;
    }

    private static Instant later(Instant current, String timestamp) {
        Instant t = HumanDuration.parse(timestamp);
        if (t == null) return current;
        return current == null || current.isBefore(t) ? t : current;
    }
}
