package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.discovery.ServiceDirectory;
import dev.mo.agent.images.ImageFetcher;
import dev.mo.api.NodeApi;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.ContainerSpec;
import dev.mo.runtime.PortSpec;
import dev.mo.runtime.RuntimeOperationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Carries out one {@link SyncAction.StartContainer}: resolves the environment, makes sure the image
 * is there, creates and starts the Docker container, and records the kubelet's events on the way.
 * A failure before the container exists comes back as a {@link StartFailure} (the container then
 * waits with that reason); a container that was created but could not start is left for the
 * planner to see as exited, like any crash.
 *
 * <p>No registry is assumed: {@code imagePullPolicy: Always} pulls only when the image is absent,
 * like {@code IfNotPresent}, so a local image built with {@code docker build} is used as it is.
 */
final class ContainerStarter {
    private static final Logger log = LoggerFactory.getLogger(ContainerStarter.class);
    /** Docker rejects longer hostnames; Kubernetes truncates the pod name the same way (63 = DNS label). */
    private static final int MAX_HOSTNAME = 63;

    private final String nodeName;
    private final String address;
    private final NodeApi api;
    private final ContainerRuntime runtime;
    private final ImageFetcher images;
    private final EnvResolver envResolver;
    private final CrashLoopBackOff retryBackOff;
    private final Clock clock;
    private final ServiceDirectory services;
    private final Path dataDir;

    /**
     * @param services where Service names and variables come from; null: none (tests without discovery)
     * @param dataDir  where pods' emptyDir, configMap and secret volumes are kept ({@link PodVolumes})
     */
    ContainerStarter(String nodeName, String address, NodeApi api, ContainerRuntime runtime, ImageFetcher images,
                     CrashLoopBackOff retryBackOff, Clock clock, ServiceDirectory services, Path dataDir) {
        this.images = images;
        this.dataDir = dataDir;
        this.nodeName = nodeName;
        this.address = address;
        this.api = api;
        this.runtime = runtime;
        this.envResolver = new EnvResolver(api::getConfigObject);
        this.retryBackOff = retryBackOff;
        this.clock = clock;
        this.services = services;
    }

    /** Starts the container; returns null on success, else why it could not. */
    StartFailure start(SyncAction.StartContainer a, StartFailure previous) {
        ObjectNode pod = a.pod();
        JsonNode c = a.container();
        String name = a.containerName();
        String key = Labels.key(Meta.uid(pod), name);
        String image = c.path("image").asText();
        Instant now = clock.instant();

        Map<String, String> env = new LinkedHashMap<>();
        List<ContainerSpec.Mount> volumeMounts;
        ContainerSpec.Resources resources;
        try {
            try {
                resources = ContainerResources.of(c);
            } catch (IllegalArgumentException badQuantity) {
                throw new ContainerConfigException(badQuantity.getMessage());
            }
            Path podDir = PodVolumes.podDir(dataDir, Meta.uid(pod));
            volumeMounts = PodVolumes.mounts(pod, c, podDir);
            try {
                PodVolumes.materialize(pod, c, podDir, api::getConfigObject);
            } catch (java.io.UncheckedIOException io) {
                throw new ContainerConfigException(io.getMessage() + ": " + io.getCause().getMessage());
            }
            // Service variables first: the container's own env wins on a clash, as in Kubernetes.
            if (services != null) env.putAll(services.env(Meta.namespace(pod)));
            env.putAll(envResolver.resolve(pod, c, node()));
        } catch (ContainerConfigException e) {
            // Retried on every sync (no back-off): the ConfigMap may be created any moment.
            if (previous == null || !e.getMessage().equals(previous.message())) {
                event(pod, "Warning", "Failed", "Error: " + e.getMessage());
                log.warn("pod {}: container {} cannot be configured: {}", ref(pod), name, e.getMessage());
            }
            return new StartFailure(StartFailure.CONFIG_ERROR, e.getMessage(), image, now, now);
        }

        if (!runtime.imagePresent(image)) {
            StartFailure pullFailure = pull(pod, key, image, c.path("imagePullPolicy").asText("IfNotPresent"), now);
            if (pullFailure != null) return pullFailure;
        } else {
            event(pod, "Normal", "Pulled", "Container image \"" + image + "\" already present on machine");
        }

        ContainerSpec spec = new ContainerSpec(Labels.containerName(pod, name, a.restartCount()), image,
                EnvResolver.expandAll(c.get("command"), env), EnvResolver.expandAll(c.get("args"), env), env,
                c.hasNonNull("workingDir") ? c.get("workingDir").asText() : null, hostname(pod),
                Labels.forContainer(nodeName, pod, name, a.restartCount()), ports(c), address,
                mounts(pod, volumeMounts), resources);
        try {
            String id = runtime.createAndStart(spec);
            retryBackOff.forget(key);
            event(pod, "Normal", "Created", "Created container " + name);
            event(pod, "Normal", "Started", "Started container " + name);
            log.info("pod {}: started container {} (restart {}) as {}", ref(pod), name, a.restartCount(), shortId(id));
            runPostStartHook(pod, c, id);
            return null;
        } catch (RuntimeOperationException e) {
            if (e.containerId() != null) {
                // Created but not started (e.g. command not found): it shows as exited and crash back-off applies.
                event(pod, "Normal", "Created", "Created container " + name);
                event(pod, "Warning", "Failed", "Error: failed to start container \"" + name + "\": " + e.getMessage());
                log.warn("pod {}: container {} was created but failed to start: {}", ref(pod), name, e.getMessage());
                return null;
            }
            retryBackOff.recordFailure(key, UUID.randomUUID().toString(), null, now);
            Instant retryAt = retryBackOff.entry(key).map(CrashLoopBackOff.Entry::restartAt).orElse(now);
            event(pod, "Warning", "Failed", "Error: " + e.getMessage());
            log.warn("pod {}: cannot create container {}: {}", ref(pod), name, e.getMessage());
            return new StartFailure(StartFailure.RUN_CONTAINER_ERROR, e.getMessage(), image, now, retryAt);
        }
    }

    private EnvResolver.Node node;

    /** This node as the downward API sees it; the engine is asked once. */
    private synchronized EnvResolver.Node node() {
        if (node == null) {
            dev.mo.runtime.EngineInfo engine = runtime.engineInfo();
            node = new EnvResolver.Node(address, engine.cpus(), engine.memoryBytes());
        }
        return node;
    }

    /**
     * The container's postStart hook, right after it started, as the kubelet runs it. A failed hook is a
     * {@code FailedPostStartHook} warning and the container is stopped; the next sync restarts it per
     * restartPolicy and back-off. The hook may take at most the pod's grace period.
     */
    private void runPostStartHook(ObjectNode pod, JsonNode c, String id) {
        LifecycleHook hook = LifecycleHook.of(c, LifecycleHook.POST_START);
        if (hook == null) return;
        ContainerInfo container = runtime.inspect(id).orElse(null);
        if (container == null) return; // gone already: the next sync sees it
        int grace = PodSyncPlanner.gracePeriod(pod);
        String failure;
        try {
            failure = hook.run(runtime, pod, container, c, Duration.ofSeconds(grace));
        } catch (RuntimeException e) {
            failure = "PostStartHook failed: " + e.getMessage();
        }
        if (failure == null) return;
        String name = c.path("name").asText();
        log.warn("pod {}: postStart hook of container {} failed, stopping it: {}", ref(pod), name, failure);
        event(pod, "Warning", "FailedPostStartHook", failure);
        event(pod, "Normal", "Killing", "FailedPostStartHook");
        runtime.stop(id, grace);
    }

    /**
     * Gets an absent image; on failure the next attempt waits per {@link CrashLoopBackOff} (10 s,
     * 20 s, ...). With {@code Never} and {@code IfNotPresent} another node's copy is tried first,
     * as no registry may be reachable (and {@code IfNotPresent} then asks the registry); with
     * {@code Always} the registry is asked first and another node's copy is the fallback.
     */
    private StartFailure pull(ObjectNode pod, String key, String image, String policy, Instant now) {
        String[] registryFailure = new String[1];
        String[] nodeFailure = new String[1];
        boolean registryFirst = "Always".equals(policy);
        if (registryFirst && pullFromRegistry(pod, image, registryFailure)) return null;
        if (fetchFromNode(pod, image, nodeFailure)) return null;
        if ("IfNotPresent".equals(policy) && pullFromRegistry(pod, image, registryFailure)) return null;
        if ("Never".equals(policy)) {
            String msg = "Container image \"" + image + "\" is not present with pull policy of Never"
                    + " (" + nodeFailure[0] + ")";
            event(pod, "Warning", "ErrImageNeverPull", msg);
            return new StartFailure("ErrImageNeverPull", msg, image, now, now);
        }
        retryBackOff.recordFailure(key, UUID.randomUUID().toString(), null, now);
        CrashLoopBackOff.Entry backOff = retryBackOff.entry(key).orElseThrow();
        // The registry's reason first, as the kubelet words it; then why no node had a copy.
        String msg = "Failed to pull image \"" + image + "\": " + registryFailure[0] + " (and " + nodeFailure[0] + ")";
        event(pod, "Warning", "Failed", msg);
        event(pod, "Warning", "Failed", "Error: ErrImagePull");
        log.warn("pod {}: {}; next attempt in {}", ref(pod), msg, PodSyncPlanner.seconds(backOff.delay()));
        return new StartFailure(StartFailure.ERR_IMAGE_PULL, msg, image, now, backOff.restartAt());
    }

    /** Pulls from the image's registry; on failure its reason goes to {@code failure[0]}. */
    private boolean pullFromRegistry(ObjectNode pod, String image, String[] failure) {
        event(pod, "Normal", "Pulling", "Pulling image \"" + image + "\"");
        try {
            runtime.pullImage(image);
            event(pod, "Normal", "Pulled", "Successfully pulled image \"" + image + "\"");
            return true;
        } catch (RuntimeOperationException e) {
            failure[0] = e.getMessage();
            return false;
        }
    }

    /** Copies the image from another node's engine ({@link ImageFetcher}); on failure its reason goes to {@code failure[0]}. */
    private boolean fetchFromNode(ObjectNode pod, String image, String[] failure) {
        try {
            ImageFetcher.Fetched f = images.fetch(image);
            event(pod, "Normal", "Pulled", "Successfully pulled image \"" + image + "\" from node " + f.node()
                    + " in " + f.took().toMillis() + "ms. Image size: " + f.bytes() + " bytes.");
            return true;
        } catch (RuntimeOperationException e) {
            failure[0] = e.getMessage();
            return false;
        }
    }

    /** The pod's hosts file as /etc/hosts, so Service names resolve (see {@link ServiceDirectory}). */
    private List<ContainerSpec.Mount> mounts(ObjectNode pod, List<ContainerSpec.Mount> volumeMounts) {
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        if (services != null) {
            Path hosts = services.hostsFileFor(pod, hostname(pod));
            mounts.add(new ContainerSpec.Mount(hosts.toString(), "/etc/hosts", false));
        }
        mounts.addAll(volumeMounts);
        return mounts;
    }

    private static List<PortSpec> ports(JsonNode c) {
        List<PortSpec> ports = new ArrayList<>();
        for (JsonNode p : c.path("ports")) {
            ports.add(new PortSpec(p.path("containerPort").asInt(), p.path("protocol").asText("TCP")));
        }
        return ports;
    }

    /** {@code spec.hostname} when set (a StatefulSet sets it to the pod name), else the pod name. */
    static String hostname(ObjectNode pod) {
        String given = Json.text(pod, "spec.hostname");
        String name = given != null && !given.isEmpty() ? given : Meta.name(pod);
        return name.length() > MAX_HOSTNAME ? name.substring(0, MAX_HOSTNAME) : name;
    }

    private void event(ObjectNode pod, String type, String reason, String message) {
        try {
            api.recordPodEvent(Meta.namespace(pod), Meta.name(pod), Meta.uid(pod), type, reason, message);
        } catch (RuntimeException e) {
            log.debug("could not record event {} on pod {}: {}", reason, ref(pod), e.toString());
        }
    }

    static String ref(ObjectNode pod) {
        return Meta.namespace(pod) + "/" + Meta.name(pod);
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
