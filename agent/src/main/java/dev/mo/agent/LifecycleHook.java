package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.probe.NetworkProber;
import dev.mo.agent.probe.Probe;
import dev.mo.agent.probe.ProbeTarget;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.RuntimeOperationException;

import java.time.Duration;
import java.util.List;

/**
 * A container's {@code lifecycle.postStart} or {@code lifecycle.preStop} hook. The agent runs
 * postStart right after the container starts, and preStop before it sends SIGTERM (to a container
 * of a deleted pod, or one that failed its liveness probe): {@code exec} (a command in the
 * container), {@code httpGet} (the prober's request, {@link NetworkProber#get}) or
 * {@code sleep.seconds}. As with the kubelet, only a request that got no answer fails an
 * {@code httpGet} hook (any status code passes), and a deprecated {@code tcpSocket} hook is ignored.
 */
sealed interface LifecycleHook {
    String POST_START = "postStart";
    String PRE_STOP = "preStop";

    record Exec(List<String> command) implements LifecycleHook {}

    record HttpGet(Probe.HttpGet request) implements LifecycleHook {}

    record Sleep(Duration duration) implements LifecycleHook {}

    /** The container's hook of that name ({@link #POST_START}, {@link #PRE_STOP}), or null when it has none (or only one mo does not run). */
    static LifecycleHook of(JsonNode containerSpec, String which) {
        JsonNode json = containerSpec.path("lifecycle").path(which);
        if (!json.isObject()) return null;
        JsonNode sleep = json.path("sleep");
        if (sleep.isObject()) return new Sleep(Duration.ofSeconds(Math.max(0, sleep.path("seconds").asLong(0))));
        Probe.Handler h = Probe.handler(json);
        if (h instanceof Probe.Exec e) return new Exec(e.command());
        if (h instanceof Probe.HttpGet g) return new HttpGet(g);
        return null;
    }

    /**
     * Runs the hook against {@code container}, for at most {@code limit}.
     *
     * @return null when it succeeded, else the {@code FailedPreStopHook} / {@code FailedPostStartHook} event's
     *         message, worded as the kubelet's
     */
    default String run(ContainerRuntime runtime, ObjectNode pod, ContainerInfo container, JsonNode spec, Duration limit) {
        String name = spec.path("name").asText();
        String where = " for Container \"" + name + "\" in Pod \"" + PodSyncPlanner.podRef(pod) + "\" failed - error: ";
        if (this instanceof Exec e) {
            String goCommand = "[" + String.join(" ", e.command()) + "]";
            try {
                ExecResult r = runtime.exec(container.id(), e.command(), limit);
                if (r.timedOut()) {
                    return "Exec lifecycle hook (" + goCommand + ")" + where + "command '" + String.join(" ", e.command())
                            + "' did not finish within " + PodSyncPlanner.seconds(limit) + ", message: \"" + r.output().strip() + "\"";
                }
                if (r.exitCode() == 0) return null;
                String out = r.output().strip();
                return "Exec lifecycle hook (" + goCommand + ")" + where + "command '" + String.join(" ", e.command())
                        + "' exited with " + r.exitCode() + ": " + out + ", message: \"" + out + "\"";
            } catch (RuntimeOperationException ex) {
                return "Exec lifecycle hook (" + goCommand + ")" + where + ex.getMessage() + ", message: \"\"";
            }
        }
        if (this instanceof HttpGet g) {
            NetworkProber.HttpAnswer answer = NetworkProber.get(g.request(), ProbeTarget.of(container, spec), limit);
            return answer.error() == null ? null : "HTTP lifecycle hook (" + g.request().path() + ")" + where + answer.error();
        }
        if (this instanceof Sleep s) {
            Duration d = s.duration().compareTo(limit) < 0 ? s.duration() : limit;
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }
}
