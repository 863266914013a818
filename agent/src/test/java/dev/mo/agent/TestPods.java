package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

/** Pods as the control plane sends them: Kubernetes' shape with defaults filled in. */
final class TestPods {
    private TestPods() {}

    static ObjectNode pod(String name, String uid, String node, String image) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Pod",
                 "metadata":{"name":"%s","namespace":"default","uid":"%s","labels":{"app":"web","pod-template-hash":"7d4b9c"},
                   "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c","uid":"rs-1","controller":true}]},
                 "spec":{"nodeName":"%s","restartPolicy":"Always","terminationGracePeriodSeconds":1,
                   "containers":[{"name":"web","image":"%s","imagePullPolicy":"IfNotPresent",
                     "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}]}]}}
                """.formatted(name, uid, node, image));
    }

    static ObjectNode withRestartPolicy(ObjectNode pod, String policy) {
        ((ObjectNode) pod.get("spec")).put("restartPolicy", policy);
        return pod;
    }

    static ObjectNode deleting(ObjectNode pod) {
        ObjectNode p = pod.deepCopy();
        ((ObjectNode) p.get("metadata")).put("deletionTimestamp", "2024-01-01T00:00:00Z");
        return p;
    }

    static ObjectNode container(ObjectNode pod, int i) {
        return (ObjectNode) pod.path("spec").path("containers").get(i);
    }
}
