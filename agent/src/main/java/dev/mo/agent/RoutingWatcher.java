package dev.mo.agent;

import dev.mo.api.NodeApi;
import dev.mo.model.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps a node's view of Services, Endpoints and Ingresses current: long-polls the control
 * plane and hands every new snapshot to {@code onChange} (proxies, cluster IPs, hosts files).
 * When the control plane cannot be reached, the last snapshot stays in force: traffic keeps
 * flowing to the endpoints last known to be ready.
 */
final class RoutingWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoutingWatcher.class);

    private final NodeApi api;
    private final Duration longPoll;
    private final Consumer<NodeApi.Routing> onChange;
    private final Thread thread;
    private volatile boolean running = true;

    RoutingWatcher(NodeApi api, String nodeName, Duration longPoll, Consumer<NodeApi.Routing> onChange) {
        this.api = api;
        this.longPoll = longPoll;
        this.onChange = onChange;
        this.thread = DaemonThreads.named("mo-agent-" + nodeName + "-routing", this::loop);
    }

    RoutingWatcher start() {
        thread.start();
        return this;
    }

    private void loop() {
        long revision = -1;
        while (running) {
            try {
                NodeApi.Routing r = api.routing(revision, longPoll);
                if (r.revision() != revision) {
                    revision = r.revision();
                    onChange.accept(r);
                }
            } catch (RuntimeException e) {
                if (!running) return;
                log.warn("routing: cannot reach the control plane ({}); keeping the last routes", e.toString());
                sleep(1000);
            }
        }
    }

    /** Whether a routing snapshot lists the pod {@code podUid} among the ready addresses of any Endpoints. */
    static boolean routesTo(NodeApi.Routing routing, String podUid) {
        for (var endpoints : routing.endpoints()) {
            for (var subset : endpoints.path("subsets")) {
                for (var address : subset.path("addresses")) {
                    if (podUid.equals(address.path("targetRef").path("uid").asText(null))) return true;
                }
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
