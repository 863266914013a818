package dev.mo.agent.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Meta;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node knows of the cluster's Services, and the pods' hosts files that spell it
 * out. {@link #update} is called when Services change; the container starter asks for a
 * pod's environment and hosts file before it creates a container.
 */
public final class ServiceDirectory {
    private record PodRef(String hostname, String namespace) {}

    private final HostsFiles files;
    private final Map<String, PodRef> pods = new ConcurrentHashMap<>();
    private volatile List<ObjectNode> services = List.of();
    /** The Endpoints of every Service: headless Services name their pods from them. */
    private volatile List<ObjectNode> endpoints = List.of();

    public ServiceDirectory(HostsFiles files) { this.files = files; }

    public List<ObjectNode> services() { return services; }

    /** The Service variables of a namespace, as Kubernetes sets them at container start. */
    public Map<String, String> env(String namespace) { return ServiceEnv.forNamespace(namespace, services); }

    /** Writes (or refreshes) the pod's hosts file and returns where it is, to be mounted as /etc/hosts. */
    public Path hostsFileFor(ObjectNode pod, String hostname) {
        pods.put(Meta.uid(pod), new PodRef(hostname, Meta.namespace(pod)));
        return files.write(Meta.uid(pod), HostsFile.render(hostname, Meta.namespace(pod), services, endpoints));
    }

    /**
     * A pod running here whose hosts file was written before (by this agent or one before a
     * restart): from now on it is kept current.
     */
    public void remember(ObjectNode pod, String hostname) {
        if (!pods.containsKey(Meta.uid(pod)) && java.nio.file.Files.exists(files.pathFor(Meta.uid(pod)))) {
            hostsFileFor(pod, hostname);
        }
    }

    /** New Services: every running pod's hosts file is rewritten in place. */
    public void update(List<ObjectNode> newServices) {
        update(newServices, endpoints);
    }

    /** New Services or Endpoints: every running pod's hosts file is rewritten in place (when it changed). */
    public void update(List<ObjectNode> newServices, List<ObjectNode> newEndpoints) {
        services = List.copyOf(newServices);
        endpoints = List.copyOf(newEndpoints);
        pods.forEach((uid, ref) -> files.write(uid, HostsFile.render(ref.hostname(), ref.namespace(), services, endpoints)));
    }

    /** The pod is gone from this node. */
    public void forget(String podUid) {
        pods.remove(podUid);
        files.remove(podUid);
    }
}
