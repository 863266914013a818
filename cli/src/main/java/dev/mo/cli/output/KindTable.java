package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Kind;

import java.time.Clock;
import java.util.List;

/** The columns kubectl prints for one kind: headers and one row per object, with or without {@code -o wide}. */
interface KindTable {
    List<String> headers(boolean wide);

    List<String> row(ObjectNode obj, boolean wide, Clock clock);

    /** The order rows are printed in; kubectl keeps the server's order except for events. */
    default List<ObjectNode> sorted(List<ObjectNode> items) { return items; }

    static KindTable forKind(Kind kind) {
        return switch (kind) {
            case POD -> new PodTable();
            case DEPLOYMENT -> new DeploymentTable();
            case REPLICA_SET -> new ReplicaSetTable();
            case STATEFUL_SET -> new StatefulSetTable();
            case JOB -> new JobTable();
            case SERVICE -> new ServiceTable();
            case ENDPOINTS -> new EndpointsTable();
            case NODE -> new NodeTable();
            case NAMESPACE -> new NamespaceTable();
            case CONFIG_MAP -> new ConfigMapTable();
            case SECRET -> new SecretTable();
            case SERVICE_ACCOUNT -> new ServiceAccountTable();
            case PERSISTENT_VOLUME_CLAIM -> new PersistentVolumeClaimTable();
            case INGRESS -> new IngressTable();
            case NETWORK_POLICY -> new NetworkPolicyTable();
            case HORIZONTAL_POD_AUTOSCALER -> new HorizontalPodAutoscalerTable();
            case EVENT -> new EventTable();
        };
    }

    /** {@code base} plus {@code extra} when wide. */
    static List<String> plusWide(boolean wide, List<String> base, List<String> extra) {
        if (!wide) return base;
        var all = new java.util.ArrayList<>(base);
        all.addAll(extra);
        return all;
    }
}
