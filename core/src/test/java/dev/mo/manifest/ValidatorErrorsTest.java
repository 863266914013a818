package dev.mo.manifest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each class of error: the manifest, the field path reported and (part of) the message. The line
 * the error must point at is marked in the manifest with a {@code #<} comment.
 */
class ValidatorErrorsTest {

    /** A valid Deployment; cases replace one of its lines. */
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
                      ports:
                        - containerPort: 80
            """;

    /** The sample Deployment with the first occurrence of {@code text} replaced. */
    private static String deployment(String text, String replacement) {
        int at = DEPLOYMENT.indexOf(text);
        if (at < 0) throw new IllegalArgumentException("no text " + text);
        return DEPLOYMENT.substring(0, at) + replacement + DEPLOYMENT.substring(at + text.length());
    }

    /** A text block indented by {@code spaces}, without its final line break, to splice into the sample. */
    private static String indented(int spaces, String block) {
        String out = block.indent(spaces);
        return out.substring(0, out.length() - 1);
    }

    private static final String CONTAINER_PORTS = "          ports:";

    /** The sample Deployment with {@code constraints} (list items, indented as in a text block) as its pods' topologySpreadConstraints. */
    private static String spread(String constraints) {
        return deployment("      containers:", "      topologySpreadConstraints:\n" + indented(8, constraints) + "\n      containers:");
    }

    /** A PersistentVolumeClaim named data, ReadWriteOnce, with {@code resources} (lines indented by two) as its rest. */
    /** A Service named web on port 80, with more lines of its spec (indented two spaces). */
    private static String serviceOnPort80(String moreSpec) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  ports: [{port: 80}]
                """ + moreSpec;
    }

    /** A NetworkPolicy named db; {@code spec} starts with the line {@code spec:}. */
    private static String networkPolicy(String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: db
                """ + spec;
    }

    private static String claim(String resources) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: data
                spec:
                  accessModes: [ReadWriteOnce]
                """ + resources;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("unknown field", deployment("          image: nginx:1.27", "          imagee: nginx:1.27 #<"),
                        "spec.template.spec.containers[0].imagee", "unknown field \"imagee\""),
                arguments("unknown top-level spec field", deployment("  replicas: 2", "  replica: 2 #<"),
                        "spec.replica", "unknown field \"replica\""),
                arguments("replicas as string", deployment("  replicas: 2", "  replicas: \"3\" #<"),
                        "spec.replicas", "must be an integer, got string \"3\""),
                arguments("containerPort as string", deployment("- containerPort: 80", "- containerPort: \"80\" #<"),
                        "spec.template.spec.containers[0].ports[0].containerPort", "must be an integer, got string \"80\""),
                arguments("labels as list", deployment("      labels:\n        app: web", "      labels: [web] #<"),
                        "spec.template.metadata.labels", "must be an object, got a list"),
                arguments("bad name", deployment("  name: web", "  name: Web_1 #<"),
                        "metadata.name", "\"Web_1\" is not a valid DNS-1123 subdomain"),
                arguments("missing name", deployment("metadata:\n  name: web", "metadata: #<\n  labels: {a: b}"),
                        "metadata.name", "required"),
                arguments("bad label value", deployment("      app: web\n  template", "      app: web\n      tier: -x- #<\n  template"),
                        "spec.selector.matchLabels.tier", "is not a valid label value"),
                arguments("negative replicas", deployment("  replicas: 2", "  replicas: -1 #<"),
                        "spec.replicas", "must be greater than or equal to 0, got -1"),
                arguments("selector mismatch", deployment("  selector:", "  selector: #<")
                                .replace("      app: web\n  template", "      app: api\n  template"),
                        "spec.selector", "does not match template labels"),
                arguments("matchExpressions mismatch", deployment("  selector:\n    matchLabels:\n      app: web",
                                "  selector: #<\n    matchExpressions:\n      - {key: app, operator: NotIn, values: [web]}"),
                        "spec.selector", "does not match template labels"),
                arguments("selector missing", deployment("  selector:\n    matchLabels:\n      app: web\n", "")
                                .replace("spec:\n  replicas", "spec: #<\n  replicas"),
                        "spec.selector", "required"),
                arguments("bad port", deployment("- containerPort: 80", "- containerPort: 70000 #<"),
                        "spec.template.spec.containers[0].ports[0].containerPort", "must be between 1 and 65535, got 70000"),
                arguments("bad port name", deployment("- containerPort: 80", "- containerPort: 80\n              name: http_port #<"),
                        "spec.template.spec.containers[0].ports[0].name", "is not a valid port name"),
                arguments("bad protocol", deployment("- containerPort: 80", "- containerPort: 80\n              protocol: tcp #<"),
                        "spec.template.spec.containers[0].ports[0].protocol", "must be one of TCP, UDP, SCTP, got \"tcp\""),
                arguments("duplicate container name", deployment("          ports:",
                                "        - name: web #<\n          image: busybox\n          ports:"),
                        "spec.template.spec.containers[1].name", "duplicate container name \"web\""),
                arguments("bad container name", deployment("        - name: web", "        - name: Web #<"),
                        "spec.template.spec.containers[0].name", "is not a valid DNS-1123 label"),
                arguments("missing image", deployment("        - name: web\n          image: nginx:1.27", "        - name: web #<"),
                        "spec.template.spec.containers[0].image", "required"),
                arguments("no containers", deployment("      containers:", "      containers: [] #<")
                                .replace("        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n", ""),
                        "spec.template.spec.containers", "at least one container is required"),
                arguments("node affinity In without values", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - {key: disk, operator: In} #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", "must have at least one value for operator In"),
                arguments("node affinity Exists with values", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - {key: disk, operator: Exists, values: [ssd]} #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", "must be empty for operator Exists"),
                arguments("node affinity Gt with two values", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - {key: cores, operator: Gt, values: ['2', '4']} #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", "must have exactly one value for operator Gt"),
                arguments("node affinity Lt not an integer", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - key: cores\n                    operator: Lt\n                    values: [many] #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]", "must be an integer for operator Lt, got \"many\""),
                arguments("node affinity unknown operator", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - key: cores\n                    operator: Above #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt, got \"Above\""),
                arguments("node affinity without terms", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms: [] #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", "must have at least one node selector term"),
                arguments("node affinity matchFields on a label", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchFields:\n                  - {key: metadata.labels, operator: In, values: [a]} #<\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key", "must be metadata.name, got \"metadata.labels\""),
                arguments("preferred node affinity weight 0", deployment("      containers:",
                                "      affinity:\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 0 #<\n              preference: {matchExpressions: [{key: disk, operator: Exists}]}\n      containers:"),
                        "spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", "must be between 1 and 100, got 0"),
                arguments("preferred pod affinity weight 101", deployment("      containers:",
                                "      affinity:\n        podAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 101 #<\n              podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}\n      containers:"),
                        "spec.template.spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", "must be between 1 and 100, got 101"),
                arguments("pod anti-affinity without topologyKey", deployment("      containers:",
                                "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector: {matchLabels: {app: web}} #<\n      containers:"),
                        "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey", "required"),
                arguments("pod anti-affinity selector In without values", deployment("      containers:",
                                "      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - topologyKey: kubernetes.io/hostname\n              labelSelector:\n                matchExpressions: [{key: app, operator: In}] #<\n      containers:"),
                        "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values", "must have at least one value for operator In"),
                arguments("topology spread maxSkew 0", spread("- {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule} #<"),
                        "spec.template.spec.topologySpreadConstraints[0].maxSkew", "must be greater than 0, got 0"),
                arguments("topology spread without maxSkew", spread("- {topologyKey: zone, whenUnsatisfiable: DoNotSchedule} #<"),
                        "spec.template.spec.topologySpreadConstraints[0].maxSkew", "required"),
                arguments("topology spread with an empty topologyKey", spread("""
                                - maxSkew: 1
                                  topologyKey: '' #<
                                  whenUnsatisfiable: DoNotSchedule"""),
                        "spec.template.spec.topologySpreadConstraints[0].topologyKey", "required"),
                arguments("topology spread without whenUnsatisfiable", spread("- {maxSkew: 1, topologyKey: zone} #<"),
                        "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable", "required"),
                arguments("topology spread unknown whenUnsatisfiable", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: Never #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable",
                        "must be one of DoNotSchedule, ScheduleAnyway, got \"Never\""),
                arguments("topology spread pair twice", spread("""
                                - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
                                - {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}
                                - maxSkew: 3
                                  topologyKey: zone #<
                                  whenUnsatisfiable: DoNotSchedule"""),
                        "spec.template.spec.topologySpreadConstraints[2].topologyKey",
                        "duplicate {topologyKey, whenUnsatisfiable} pair {zone, DoNotSchedule}"),
                arguments("topology spread minDomains 0", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  minDomains: 0 #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].minDomains", "must be greater than 0, got 0"),
                arguments("topology spread minDomains with ScheduleAnyway", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: ScheduleAnyway
                                  minDomains: 2 #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].minDomains",
                        "can only be set when whenUnsatisfiable is DoNotSchedule, got ScheduleAnyway"),
                arguments("topology spread unknown nodeAffinityPolicy", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  nodeAffinityPolicy: honor #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].nodeAffinityPolicy",
                        "must be one of Honor, Ignore, got \"honor\""),
                arguments("topology spread unknown nodeTaintsPolicy", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  nodeTaintsPolicy: Respect #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].nodeTaintsPolicy",
                        "must be one of Honor, Ignore, got \"Respect\""),
                arguments("topology spread selector In without values", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  labelSelector:
                                    matchExpressions: [{key: app, operator: In}] #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].labelSelector.matchExpressions[0].values",
                        "must have at least one value for operator In"),
                arguments("topology spread matchLabelKeys without a selector", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  matchLabelKeys: [pod-template-hash] #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].matchLabelKeys",
                        "must not be set when labelSelector is not set"),
                arguments("topology spread matchLabelKeys naming a selector key", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  labelSelector: {matchLabels: {app: web}}
                                  matchLabelKeys:
                                    - app #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].matchLabelKeys[0]",
                        "\"app\" exists in both matchLabelKeys and labelSelector"),
                arguments("topology spread matchLabelKeys not a label key", spread("""
                                - maxSkew: 1
                                  topologyKey: zone
                                  whenUnsatisfiable: DoNotSchedule
                                  labelSelector: {matchLabels: {app: web}}
                                  matchLabelKeys:
                                    - -hash- #<"""),
                        "spec.template.spec.topologySpreadConstraints[0].matchLabelKeys[0]", "is not a valid key"),
                arguments("toleration with an empty key and Equal", deployment("      containers:",
                                "      tolerations:\n        - {operator: Equal, value: x} #<\n      containers:"),
                        "spec.template.spec.tolerations[0].operator", "must be Exists when key is empty"),
                arguments("toleration Exists with a value", deployment("      containers:",
                                "      tolerations:\n        - {key: dedicated, operator: Exists, value: web} #<\n      containers:"),
                        "spec.template.spec.tolerations[0].value", "must be empty when operator is Exists"),
                arguments("tolerationSeconds without NoExecute", deployment("      containers:",
                                "      tolerations:\n        - {key: dedicated, operator: Exists, effect: NoSchedule, tolerationSeconds: 30} #<\n      containers:"),
                        "spec.template.spec.tolerations[0].effect", "must be NoExecute when tolerationSeconds is set"),
                arguments("toleration with a bad effect", deployment("      containers:",
                                "      tolerations:\n        - {key: dedicated, operator: Exists, effect: NoRun} #<\n      containers:"),
                        "spec.template.spec.tolerations[0].effect", "must be one of NoSchedule, PreferNoSchedule, NoExecute, got \"NoRun\""),
                arguments("nodeSelector with a bad label value", deployment("      containers:",
                                "      nodeSelector:\n        disk: -ssd- #<\n      containers:"),
                        "spec.template.spec.nodeSelector.disk", "is not a valid label value"),
                arguments("restartPolicy Never in a Deployment", deployment("      containers:",
                                "      restartPolicy: Never #<\n      containers:"),
                        "spec.template.spec.restartPolicy", "must be Always for a Deployment, got \"Never\""),
                arguments("probe on a port name the container does not declare", deployment("          ports:",
                                "          livenessProbe:\n            httpGet: {path: /, port: web} #<\n          ports:"),
                        "spec.template.spec.containers[0].livenessProbe.httpGet.port",
                        "port \"web\" is not the name of a port of this container (ports[].name)"),
                arguments("volumeMount naming no volume", deployment("          ports:",
                                "          volumeMounts:\n            - name: data #<\n              mountPath: /data\n          ports:"),
                        "spec.template.spec.containers[0].volumeMounts[0].name", "no volume named \"data\" in the pod"),
                arguments("requests above limits", deployment(CONTAINER_PORTS, indented(10, """
                                resources:
                                  requests: {cpu: "1", memory: 64Mi} #<
                                  limits:
                                    cpu: 500m
                                    memory: 64Mi
                                ports:""")),
                        "spec.template.spec.containers[0].resources.requests.cpu",
                        "must be less than or equal to the cpu limit 500m, got 1"),
                arguments("memory requests above limits", deployment(CONTAINER_PORTS, indented(10, """
                                resources:
                                  requests: {memory: 1Gi} #<
                                  limits: {memory: 512Mi}
                                ports:""")),
                        "spec.template.spec.containers[0].resources.requests.memory",
                        "must be less than or equal to the memory limit 512Mi, got 1Gi"),
                arguments("bad quantity", deployment("          ports:",
                                "          resources:\n            limits:\n              memory: 12XB #<\n          ports:"),
                        "spec.template.spec.containers[0].resources.limits.memory", "must be a quantity like"),
                arguments("env valueFrom with two sources", deployment(CONTAINER_PORTS, indented(10, """
                                env:
                                  - name: A
                                    valueFrom: #<
                                      fieldRef: {fieldPath: metadata.name}
                                      secretKeyRef: {name: s, key: k}
                                ports:""")),
                        "spec.template.spec.containers[0].env[0].valueFrom", "must specify exactly one of"),
                arguments("bad env name", deployment("          ports:", "          env:\n            - name: 1ABC #<\n          ports:"),
                        "spec.template.spec.containers[0].env[0].name", "is not a valid environment variable name"),
                arguments("probe with two handlers", deployment(CONTAINER_PORTS, indented(10, """
                                livenessProbe: #<
                                  exec: {command: ["true"]}
                                  tcpSocket: {port: 80}
                                ports:""")),
                        "spec.template.spec.containers[0].livenessProbe", "must specify exactly one handler"),
                arguments("probe port name invalid", deployment(CONTAINER_PORTS, indented(10, """
                                readinessProbe:
                                  httpGet:
                                    port: Not_A_Name #<
                                ports:""")),
                        "spec.template.spec.containers[0].readinessProbe.httpGet.port", "is not a valid port name"),
                arguments("surge and unavailable both 0", deployment("  template:", indented(2, """
                                strategy:
                                  rollingUpdate:
                                    maxSurge: 0
                                    maxUnavailable: 0% #<
                                template:""")),
                        "spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when maxSurge is 0"),
                arguments("maxSurge not a percentage", deployment("  template:", indented(2, """
                                strategy:
                                  rollingUpdate:
                                    maxSurge: lots #<
                                template:""")),
                        "spec.strategy.rollingUpdate.maxSurge", "must be an integer or a percentage like \"25%\", got \"lots\""),
                arguments("unknown kind", deployment("kind: Deployment", "kind: Deploymnt #<"),
                        "kind", "unknown kind \"Deploymnt\"; mo accepts Namespace, ConfigMap, Secret, PersistentVolumeClaim, Pod"),
                arguments("kind made by mo", deployment("kind: Deployment", "kind: ReplicaSet #<"),
                        "kind", "ReplicaSet objects are made by mo itself and cannot be applied"),
                arguments("unknown apiVersion", deployment("apiVersion: apps/v1", "apiVersion: apps/v1beta1 #<"),
                        "apiVersion", "\"apps/v1beta1\" does not serve kind Deployment; use apps/v1"),
                arguments("duplicate key", deployment("  replicas: 2", "  replicas: 2\n  replicas: 3 #<"),
                        "spec.replicas", "duplicate key \"replicas\""),
                arguments("StatefulSet without serviceName", """
                        apiVersion: apps/v1
                        kind: StatefulSet
                        metadata:
                          name: db
                        spec: #<
                          selector: {matchLabels: {app: db}}
                          template:
                            metadata: {labels: {app: db}}
                            spec:
                              containers: [{name: db, image: postgres:16}]
                        """, "spec.serviceName", "required"),
                arguments("claim template without storage", """
                        apiVersion: apps/v1
                        kind: StatefulSet
                        metadata:
                          name: db
                        spec:
                          serviceName: db
                          selector: {matchLabels: {app: db}}
                          template:
                            metadata: {labels: {app: db}}
                            spec:
                              containers: [{name: db, image: postgres:16}]
                          volumeClaimTemplates:
                            - metadata: {name: data}
                              spec:
                                accessModes: [ReadWriteOnce]
                                resources:
                                  requests: #<
                                    cpu: 1
                        """, "spec.volumeClaimTemplates[0].spec.resources.requests.storage", "required"),
                arguments("bad base64", """
                        apiVersion: v1
                        kind: Secret
                        metadata:
                          name: db
                        data:
                          user: YWRtaW4=
                          password: not base64! #<
                        """, "data.password", "must be base64-encoded"),
                arguments("bad ConfigMap key", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: cfg
                        data:
                          "bad key": x #<
                        """, "data.bad key", "is not a valid key"),
                arguments("Namespace name not a DNS label", """
                        apiVersion: v1
                        kind: Namespace
                        metadata:
                          name: Web_1 #<
                        """, "metadata.name", "\"Web_1\" is not a valid DNS-1123 label: lowercase letters, digits and '-', "
                                + "starting and ending with a letter or digit, at most 63 characters"),
                arguments("Service name not a DNS-1035 label", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: 1web #<
                        spec:
                          ports: [{port: 80}]
                        """, "metadata.name", "is not a valid DNS-1035 label"),
                arguments("Service ports without names", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          ports:
                            - port: 80 #<
                            - port: 443
                              name: https
                        """, "spec.ports[0].name", "required when a Service has more than one port"),
                arguments("Service nodePort out of range", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          type: NodePort
                          ports:
                            - port: 80
                              nodePort: 80 #<
                        """, "spec.ports[0].nodePort", "must be between 30000 and 32767, got 80"),
                arguments("Service bad type", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          type: Internal #<
                          ports: [{port: 80}]
                        """, "spec.type", "must be one of ClusterIP, NodePort, LoadBalancer, ExternalName"),
                arguments("Service targetPort out of range", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          ports:
                            - port: 80
                              targetPort: 0 #<
                        """, "spec.ports[0].targetPort", "must be between 1 and 65535, got 0"),
                arguments("Ingress path without pathType", """
                        apiVersion: networking.k8s.io/v1
                        kind: Ingress
                        metadata:
                          name: web
                        spec:
                          rules:
                            - http:
                                paths:
                                  - path: / #<
                                    backend:
                                      service: {name: web, port: {number: 80}}
                        """, "spec.rules[0].http.paths[0].pathType", "required"),
                arguments("Ingress backend without port", """
                        apiVersion: networking.k8s.io/v1
                        kind: Ingress
                        metadata:
                          name: web
                        spec:
                          defaultBackend:
                            service: #<
                              name: web
                        """, "spec.defaultBackend.service.port", "required"),
                arguments("Service affinity config without ClientIP", serviceOnPort80("""
                          sessionAffinityConfig: #<
                            clientIP: {timeoutSeconds: 60}
                        """), "spec.sessionAffinityConfig", "must not be set when sessionAffinity is None"),
                arguments("Service affinity timeout above a day", serviceOnPort80("""
                          sessionAffinity: ClientIP
                          sessionAffinityConfig:
                            clientIP:
                              timeoutSeconds: 90000 #<
                        """), "spec.sessionAffinityConfig.clientIP.timeoutSeconds", "must be between 1 and 86400, got 90000"),
                arguments("NetworkPolicy without podSelector", networkPolicy("""
                        spec: #<
                          policyTypes: [Ingress]
                        """), "spec.podSelector", "required"),
                arguments("NetworkPolicy unknown policy type", networkPolicy("""
                        spec:
                          podSelector: {}
                          policyTypes:
                            - Ingress
                            - Inbound #<
                        """), "spec.policyTypes[1]", "must be one of Ingress, Egress"),
                arguments("NetworkPolicy peer with ipBlock and podSelector", networkPolicy("""
                        spec:
                          podSelector: {matchLabels: {app: db}}
                          ingress:
                            - from:
                                - ipBlock: {cidr: 10.0.0.0/8} #<
                                  podSelector: {matchLabels: {app: web}}
                        """), "spec.ingress[0].from[0]", "may not specify more than 1 peer type"),
                arguments("NetworkPolicy empty peer", networkPolicy("""
                        spec:
                          podSelector: {}
                          egress:
                            - to:
                                - {} #<
                        """), "spec.egress[0].to[0]", "must specify a peer"),
                arguments("NetworkPolicy bad CIDR", networkPolicy("""
                        spec:
                          podSelector: {}
                          ingress:
                            - from:
                                - ipBlock:
                                    cidr: 10.0.0.0/8
                                    except:
                                      - 10.1.300.0/24 #<
                        """), "spec.ingress[0].from[0].ipBlock.except[0]", "must be a valid CIDR"),
                arguments("NetworkPolicy endPort below port", networkPolicy("""
                        spec:
                          podSelector: {}
                          ingress:
                            - ports:
                                - port: 5432
                                  endPort: 5000 #<
                        """), "spec.ingress[0].ports[0].endPort", "must be greater than or equal to port (5432), got 5000"),
                arguments("HPA minReplicas above maxReplicas", """
                        apiVersion: autoscaling/v2
                        kind: HorizontalPodAutoscaler
                        metadata:
                          name: web
                        spec:
                          scaleTargetRef: {kind: Deployment, name: web}
                          minReplicas: 10 #<
                          maxReplicas: 5
                        """, "spec.minReplicas", "must be less than or equal to maxReplicas (5), got 10"),
                arguments("HPA v1 field in v2", """
                        apiVersion: autoscaling/v2
                        kind: HorizontalPodAutoscaler
                        metadata:
                          name: web
                        spec:
                          scaleTargetRef: {kind: Deployment, name: web}
                          maxReplicas: 5
                          targetCPUUtilizationPercentage: 50 #<
                        """, "spec.targetCPUUtilizationPercentage", "unknown field"),
                arguments("HPA without scale target name", """
                        apiVersion: autoscaling/v1
                        kind: HorizontalPodAutoscaler
                        metadata:
                          name: web
                        spec:
                          scaleTargetRef: {kind: Deployment} #<
                          maxReplicas: 5
                        """, "spec.scaleTargetRef.name", "required"),
                arguments("PVC without storage", claim("""
                          resources: #<
                            limits: {storage: 1Gi}
                        """), "spec.resources.requests.storage", "required"),
                arguments("PVC bad storage quantity", claim("""
                          resources:
                            requests:
                              storage: ten gigs #<
                        """), "spec.resources.requests.storage", "must be a quantity like"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheFieldAndLine(String name, String yaml, String fieldPath, String message) {
        LoadResult result = ManifestLoader.parse("app.yaml", yaml);
        ManifestProblem problem = result.errors().stream()
                .filter(e -> fieldPath.equals(e.fieldPath()) && e.message().contains(message))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error at " + fieldPath + " containing '" + message
                        + "'; got " + result.errors()));
        assertEquals(markedLine(yaml), problem.line(), () -> "line of " + problem.format());
        assertEquals("app.yaml", problem.source());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsNoCascadeAndNoInternalError(String name, String yaml, String fieldPath, String message) {
        // One mistake should give one error, not a cascade (duplicate keys also give none elsewhere).
        List<ManifestProblem> errors = ManifestLoader.parse("app.yaml", yaml).errors();
        assertTrue(errors.size() <= 2, () -> "too many errors for one mistake: " + errors);
        assertTrue(errors.stream().noneMatch(e -> e.message().contains("internal error")), errors::toString);
    }

    /** The 1-based line carrying the {@code #<} marker. */
    static int markedLine(String yaml) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains("#<")) return i + 1;
        throw new IllegalArgumentException("no #< marker in\n" + yaml);
    }
}
