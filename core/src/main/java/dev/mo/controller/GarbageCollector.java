package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.store.ObjectKey;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes what no owner wants any more, as Kubernetes' background cascading deletion does:
 * a ReplicaSet whose Deployment is gone, a pod whose ReplicaSet is gone, a claim whose
 * StatefulSet or pod is gone (a StatefulSet's retention policy {@code Delete} makes them its
 * owners). Pods bound to a node that no longer exists are removed outright, since no agent is
 * left to stop them.
 */
public final class GarbageCollector implements Controller {
    private static final List<Kind> DEPENDENT_KINDS = List.of(Kind.REPLICA_SET, Kind.POD, Kind.ENDPOINTS,
            Kind.PERSISTENT_VOLUME_CLAIM);
    private static final List<Kind> OWNER_KINDS = List.of(Kind.DEPLOYMENT, Kind.REPLICA_SET, Kind.STATEFUL_SET,
            Kind.SERVICE, Kind.POD);

    private final ObjectService objects;

    public GarbageCollector(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "garbage-collector"; }

    @Override
    public void reconcile() {
        Set<String> liveOwners = new HashSet<>();
        for (Kind k : OWNER_KINDS) objects.store().list(k, null).forEach(o -> liveOwners.add(Meta.uid(o)));
        Set<String> nodes = new HashSet<>();
        objects.store().list(Kind.NODE, null).forEach(n -> nodes.add(Meta.name(n)));

        for (Kind kind : DEPENDENT_KINDS) {
            for (ObjectNode o : objects.store().list(kind, null)) {
                String owner = ObjectService.controllerUid(o);
                if (owner != null && !liveOwners.contains(owner) && !Meta.deleting(o)) {
                    objects.delete(kind, Meta.namespace(o), Meta.name(o));
                }
            }
        }
        for (ObjectNode pod : objects.store().list(Kind.POD, null)) {
            String node = Pods.nodeName(pod);
            if (node != null && !nodes.contains(node)) objects.remove(ObjectKey.of(pod), true);
        }
        objects.events().prune();
    }
}
