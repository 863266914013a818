package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.store.ObjectKey;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes what no owner wants any more, as Kubernetes' background cascading deletion does:
 * a ReplicaSet whose Deployment is gone, a pod whose ReplicaSet or Job is gone, a claim whose
 * StatefulSet or pod is gone (a StatefulSet's retention policy {@code Delete} makes them its
 * owners). Pods bound to a node that no longer exists are removed outright, since no agent is
 * left to stop them.
 */
public final class GarbageCollector implements Controller {
    private static final List<Kind> DEPENDENT_KINDS = List.of(Kind.REPLICA_SET, Kind.POD, Kind.ENDPOINTS,
            Kind.PERSISTENT_VOLUME_CLAIM);
    private static final List<Kind> OWNER_KINDS = List.of(Kind.DEPLOYMENT, Kind.REPLICA_SET, Kind.STATEFUL_SET,
            Kind.JOB, Kind.SERVICE, Kind.POD);

    private final ObjectService objects;

    public GarbageCollector(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "garbage-collector"; }

    @Override
    public void reconcile() {
        // Dependents are read before their owners: an owner always exists before anything names it,
        // so every owner a dependent in this listing names is in the later one unless it is really
        // gone. (Read the other way round, an owner and a dependent both made between the two
        // reads would look like an orphan, and the dependent would be deleted.)
        Map<Kind, List<ObjectNode>> dependents = new EnumMap<>(Kind.class);
        for (Kind kind : DEPENDENT_KINDS) dependents.put(kind, objects.store().list(kind, null));
        Set<String> liveOwners = new HashSet<>();
        for (Kind k : OWNER_KINDS) objects.store().list(k, null).forEach(o -> liveOwners.add(Meta.uid(o)));
        Set<String> nodes = new HashSet<>();
        objects.store().list(Kind.NODE, null).forEach(n -> nodes.add(Meta.name(n)));

        dependents.forEach((kind, list) -> {
            for (ObjectNode o : list) {
                String owner = ObjectService.controllerUid(o);
                if (owner != null && !liveOwners.contains(owner) && !Meta.deleting(o) && stillThere(o)) {
                    objects.delete(kind, Meta.namespace(o), Meta.name(o));
                }
            }
        });
        for (ObjectNode pod : dependents.get(Kind.POD)) {
            String node = Pods.nodeName(pod);
            if (node != null && !nodes.contains(node) && stillThere(pod)) objects.remove(ObjectKey.of(pod), true);
        }
        objects.events().prune();
    }

    /** The same object (not a new one of the same name, e.g. a StatefulSet's pod) is still stored. */
    private boolean stillThere(ObjectNode o) {
        return objects.store().get(ObjectKey.of(o)).map(current -> Meta.uid(current).equals(Meta.uid(o))).orElse(false);
    }
}
