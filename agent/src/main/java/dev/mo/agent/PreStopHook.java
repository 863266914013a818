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
 * A container's {@code lifecycle.preStop} hook, run by the agent before it sends SIGTERM to a
 * container of a deleted pod: {@code exec} (a command in the container), {@code httpGet} (the
 * prober's request, {@link NetworkProber#get}) or {@code sleep.seconds}. As with the kubelet, only
 * a request that got no answer fails an {@code httpGet} hook (any status code passes), and a
 * deprecated {@code tcpSocket} hook is ignored.
 */
sealed interface PreStopHook {

    record Exec(List<String> command) implements PreStopHook {}

    record HttpGet(Probe.HttpGet request) implements PreStopHook {}

    record Sleep(Duration duration) implements PreStopHook {}

    /** The container's preStop hook, or null when it has none (or only one mo does not run). */
    static PreStopHook of(JsonNode containerSpec) {
        JsonNode json = containerSpec.path("lifecycle").path("preStop");
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
     * @return null when it succeeded, else the {@code FailedPreStopHook} event's message, worded as the kubelet's
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
