package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerInfo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a pod's status in Kubernetes' shape from what the planner decided about each container.
 * Pure: same views, same JSON, so the agent can skip reports that did not change.
 */
public final class PodStatusBuilder {
    private PodStatusBuilder() {}

    /** A container is waiting (not running, not finished for good), with Kubernetes' reason. */
    public record Waiting(String reason, String message) {}

    /**
     * One container of the pod as the planner sees it.
     *
     * @param spec         its spec JSON
     * @param current      the run that is running or finished for good; null when waiting
     * @param last         the run before (shown as {@code lastState}); may be null
     * @param restartCount restarts so far
     * @param waiting      why it waits, or null when {@code current} says it all
     */
    public record ContainerView(JsonNode spec, ContainerInfo current, ContainerInfo last, int restartCount, Waiting waiting) {
        String name() { return spec.path("name").asText(); }
        boolean running() { return waiting == null && current != null && current.running(); }
        boolean terminated() { return waiting == null && current != null && !current.running(); }
    }

    /** The pod with its containers' views and the context the status needs. */
    public record PodView(ObjectNode pod, List<ContainerView> containers, String hostIP, Instant startTime,
                          ObjectNode lastStatus, ContainerReadiness readiness, Instant now) {}

    public static ObjectNode status(PodView p) {
        ObjectNode status = Json.object();
        status.put("phase", phase(p));
        List<String> unready = new ArrayList<>();
        ArrayNode statuses = Json.array();
        String podIP = "";
        for (ContainerView c : p.containers()) {
            boolean started = c.running() && p.readiness().isStarted(p.pod(), c.name(), c.current());
            boolean ready = started && p.readiness().isReady(p.pod(), c.name(), c.current());
            if (!ready) unready.add(c.name());
            if (c.running() && podIP.isEmpty()) podIP = c.current().ipAddress();
            statuses.add(containerStatus(c, ready, started));
        }
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition(p, "Initialized", true, null, null));
        String notReadyMessage = "containers with unready status: [" + String.join(" ", unready) + "]";
        conditions.add(condition(p, "Ready", unready.isEmpty(), "ContainersNotReady", notReadyMessage));
        conditions.add(condition(p, "ContainersReady", unready.isEmpty(), "ContainersNotReady", notReadyMessage));
        conditions.add(condition(p, "PodScheduled", true, null, null));
        status.put("hostIP", p.hostIP());
        if (!podIP.isEmpty()) {
            status.put("podIP", podIP);
            status.putArray("podIPs").addObject().put("ip", podIP);
        }
        status.put("startTime", rfc3339(p.startTime()));
        status.set("containerStatuses", statuses);
        return status;
    }

    /**
     * The kubelet's phase rule: Pending while a container waits that never ran; Running while one runs
     * or will restart; once all finished for good, Succeeded when all exited 0, else Failed.
     */
    static String phase(PodView p) {
        String policy = Json.text(p.pod(), "spec.restartPolicy");
        int neverRan = 0, running = 0, restarting = 0, succeeded = 0, failed = 0;
        for (ContainerView c : p.containers()) {
            if (c.running()) running++;
            else if (c.waiting() != null && c.last() == null && c.current() == null) neverRan++;
            else if (c.waiting() != null) restarting++;
            else if (c.terminated() && c.current().exitCode() == 0 && !c.current().oomKilled()) succeeded++;
            else if (c.terminated()) failed++;
        }
        if (neverRan > 0) return "Pending";
        if (running > 0 || restarting > 0) return "Running";
        if ("Always".equals(policy) || policy == null) return "Running"; // finished containers will be restarted
        if (failed > 0) return "Failed";
        return "Succeeded";
    }

    private static ObjectNode containerStatus(ContainerView c, boolean ready, boolean started) {
        ObjectNode s = Json.object();
        s.put("name", c.name());
        s.put("image", c.spec().path("image").asText());
        ContainerInfo shown = c.current() != null ? c.current() : c.last();
        s.put("imageID", shown == null ? "" : "docker://" + shown.imageId());
        if (shown != null) s.put("containerID", "docker://" + shown.id());
        s.put("ready", ready);
        s.put("started", started);
        s.put("restartCount", c.restartCount());
        ObjectNode state = s.putObject("state");
        if (c.waiting() != null) {
            ObjectNode w = state.putObject("waiting");
            w.put("reason", c.waiting().reason());
            if (c.waiting().message() != null) w.put("message", c.waiting().message());
        } else if (c.running()) {
            state.putObject("running").put("startedAt", rfc3339(c.current().startedAt()));
        } else {
            state.set("terminated", terminated(c.current()));
        }
        ObjectNode lastState = s.putObject("lastState");
        if (c.last() != null && !c.last().running()) lastState.set("terminated", terminated(c.last()));
        return s;
    }

    /** exit 0 = Completed, OOM kill = OOMKilled, an engine error = StartError, else Error. */
    static ObjectNode terminated(ContainerInfo c) {
        ObjectNode t = Json.object();
        t.put("exitCode", c.exitCode());
        String reason = c.oomKilled() ? "OOMKilled" : !c.error().isEmpty() ? "StartError"
                : c.exitCode() == 0 ? "Completed" : "Error";
        t.put("reason", reason);
        if (!c.error().isEmpty()) t.put("message", c.error());
        if (c.startedAt() != null) t.put("startedAt", rfc3339(c.startedAt()));
        if (c.finishedAt() != null) t.put("finishedAt", rfc3339(c.finishedAt()));
        t.put("containerID", "docker://" + c.id());
        return t;
    }

    /** A condition; its lastTransitionTime is kept from the last status while its value stays the same. */
    private static ObjectNode condition(PodView p, String type, boolean ok, String reason, String message) {
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", ok ? "True" : "False");
        if (!ok && reason != null) {
            c.put("reason", reason);
            c.put("message", message);
        }
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", transitionTime(p, type, c.path("status").asText()));
        return c;
    }

    private static String transitionTime(PodView p, String type, String value) {
        ObjectNode last = p.lastStatus() != null ? p.lastStatus() : (ObjectNode) null;
        if (last == null && p.pod().path("status").isObject()) last = (ObjectNode) p.pod().path("status");
        if (last != null) {
            for (JsonNode old : last.path("conditions")) {
                if (type.equals(old.path("type").asText()) && value.equals(old.path("status").asText())
                        && old.hasNonNull("lastTransitionTime")) {
                    return old.path("lastTransitionTime").asText();
                }
            }
        }
        return rfc3339(type.equals("PodScheduled") || type.equals("Initialized") ? p.startTime() : p.now());
    }

    /** Every running container's published ports: {@code "8080/TCP" -> "127.0.0.1:32768"}. */
    static Map<String, String> hostPorts(List<ContainerView> views) {
        Map<String, String> ports = new LinkedHashMap<>();
        for (ContainerView c : views) {
            if (c.running()) ports.putAll(c.current().publishedPorts());
        }
        return ports;
    }

    /** Kubernetes writes times as RFC 3339 in UTC, to the second. */
    public static String rfc3339(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
