package dev.mo.manifest;

import dev.mo.model.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupportedFieldsTest {

    private static List<String> warnings(String yaml) {
        LoadResult result = ManifestLoader.parse("web.yaml", yaml);
        assertTrue(result.ok(), result.errors()::toString);
        return result.warnings().stream().map(ManifestProblem::format).toList();
    }

    @Test
    void listsWhatMoActsOn() {
        assertTrue(SupportedFields.actsOn(Kind.DEPLOYMENT, "spec.template.spec.containers[].image"));
        assertTrue(SupportedFields.actsOn(Kind.DEPLOYMENT, "spec.template.spec.containers[].env[].valueFrom"));
        assertTrue(SupportedFields.actsOn(Kind.DEPLOYMENT, "metadata.labels"));
        assertTrue(SupportedFields.actsOn(Kind.SECRET, "stringData"));
        assertTrue(SupportedFields.actsOn(Kind.DEPLOYMENT, "spec.template.spec.containers[].livenessProbe.httpGet.port"));
        assertTrue(SupportedFields.actsOn(Kind.POD, "spec.containers[].readinessProbe.periodSeconds"));
        assertTrue(SupportedFields.actsOn(Kind.POD, "spec.containers[].startupProbe.exec.command"));
        assertFalse(SupportedFields.actsOn(Kind.DEPLOYMENT, "spec.template.spec.containers[].livenessProbe.grpc"),
                "gRPC probes are not run: they warn");
        assertTrue(SupportedFields.actsOn(Kind.DEPLOYMENT, "spec.template.spec.containers[].lifecycle.preStop.exec.command"));
        assertTrue(SupportedFields.actsOn(Kind.POD, "spec.containers[].lifecycle.preStop.httpGet.path"));
        assertTrue(SupportedFields.actsOn(Kind.POD, "spec.containers[].lifecycle.preStop.sleep.seconds"));
        assertFalse(SupportedFields.actsOn(Kind.POD, "spec.containers[].lifecycle.postStart"), "postStart hooks are not run");
        assertFalse(SupportedFields.actsOn(Kind.POD, "spec.containers[].lifecycle.preStop.tcpSocket"), "deprecated, ignored as by Kubernetes");
        assertFalse(SupportedFields.actsOn(Kind.DEPLOYMENT, "metadata.generateName"));
        assertFalse(SupportedFields.actsOn(Kind.SERVICE, "spec.ports"), "stored-only kinds act on nothing");
    }

    @Test
    void theRolloutFieldsOfADeploymentAreActedOn() {
        for (String f : List.of("spec.strategy.type", "spec.strategy.rollingUpdate.maxSurge",
                "spec.strategy.rollingUpdate.maxUnavailable", "spec.minReadySeconds", "spec.progressDeadlineSeconds",
                "spec.revisionHistoryLimit", "spec.paused")) {
            assertTrue(SupportedFields.actsOn(Kind.DEPLOYMENT, f), f);
        }
        assertEquals(List.of(), warnings("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  minReadySeconds: 5
                  progressDeadlineSeconds: 60
                  revisionHistoryLimit: 2
                  paused: false
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: a
                          image: nginx
                """));
    }

    @Test
    void oneWarningPerDistinctPathWithTheFirstLine() {
        List<String> warnings = warnings("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: a
                          image: nginx
                          livenessProbe:
                            grpc: {port: 9000}
                          readinessProbe:
                            exec: {command: ["true"]}
                        - name: b
                          image: nginx
                          livenessProbe:
                            grpc: {port: 9000}
                          resources: {limits: {cpu: 1, ephemeral-storage: 1Gi}}
                """);
        assertEquals(List.of(
                "web.yaml:14: spec.template.spec.containers[].livenessProbe.grpc: accepted, but mo does not act on this field yet",
                "web.yaml:21: spec.template.spec.containers[].resources.limits.ephemeral-storage: accepted, but mo does not act on this field yet"),
                warnings);
    }

    @Test
    void whatTheSchedulerReadsDoesNotWarn() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  nodeSelector: {disk: ssd}
                  tolerations: [{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: ['2']}]}]
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - {weight: 10, preference: {matchFields: [{key: metadata.name, operator: In, values: [n1]}]}}
                    podAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: 5
                          podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        - topologyKey: kubernetes.io/hostname
                          labelSelector: {matchLabels: {app: web}}
                          namespaces: [default]
                          namespaceSelector: {matchLabels: {team: a}}
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}
                    - maxSkew: 2
                      topologyKey: topology.kubernetes.io/zone
                      whenUnsatisfiable: DoNotSchedule
                      minDomains: 3
                      labelSelector: {matchLabels: {app: web}}
                      matchLabelKeys: [pod-template-hash]
                      nodeAffinityPolicy: Ignore
                      nodeTaintsPolicy: Honor
                  containers:
                    - name: a
                      image: nginx
                """);
        assertEquals(List.of(
                "web.yaml:22: spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[].namespaceSelector: accepted, but mo does not act on this field yet"),
                warnings);
    }

    @Test
    void volumesAndResourcesTheAgentActsOnDoNotWarn() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  volumes:
                    - {name: scratch, emptyDir: {}}
                    - {name: conf, configMap: {name: c, defaultMode: 0400, optional: true, items: [{key: a, path: a.txt, mode: 0600}]}}
                    - {name: creds, secret: {secretName: s, defaultMode: 0400}}
                    - {name: data, persistentVolumeClaim: {claimName: data, readOnly: false}}
                    - {name: host, hostPath: {path: /tmp}}
                  containers:
                    - name: a
                      image: nginx
                      resources: {requests: {cpu: 100m}, limits: {cpu: 1, memory: 128Mi}}
                      volumeMounts: [{name: data, mountPath: /data, subPath: x, readOnly: true}]
                """);
        assertEquals(List.of("web.yaml:10: spec.volumes[].hostPath: accepted, but mo does not act on this field yet"), warnings);
    }

    @Test
    void aNetworkPolicyIsStoredWithOneWarningThatItIsNotEnforced() {
        List<String> warnings = warnings("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: db-from-backend
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: backend}}}]
                      ports: [{port: 5432}]
                """);
        assertEquals(List.of("web.yaml:1: NetworkPolicy: stored, not enforced: mo does not filter traffic between pods"
                + " (as on a Kubernetes cluster whose network plugin has no policy support)"), warnings);
        assertFalse(SupportedFields.actsOn(Kind.NETWORK_POLICY, "spec.podSelector"));
    }

    @Test
    void aServiceAccountIsStoredWithOneWarningThatPodsGetNoTokenFromIt() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: backend
                automountServiceAccountToken: false
                imagePullSecrets: [{name: registry}]
                """);
        assertEquals(List.of("web.yaml:1: ServiceAccount: stored; pods get no API token from it"
                + " (mo's API serves the mo CLI, not workloads)"), warnings);
    }

    @Test
    void statefulSetsAreActedOn() {
        List<String> warnings = warnings("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres, livenessProbe: {tcpSocket: {port: 5432}}}]
                """);
        assertEquals(List.of(), warnings);
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.volumeClaimTemplates[].spec.resources.requests.storage"));
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.updateStrategy.rollingUpdate.partition"));
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.template.spec.containers[].image"));
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.ordinals.start"));
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.minReadySeconds"));
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.persistentVolumeClaimRetentionPolicy.whenScaled"));
        assertTrue(SupportedFields.actsOn(Kind.STATEFUL_SET, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"));
        assertTrue(SupportedFields.actsOn(Kind.PERSISTENT_VOLUME_CLAIM, "spec.resources.requests.storage"));
        assertFalse(SupportedFields.actsOn(Kind.PERSISTENT_VOLUME_CLAIM, "spec.storageClassName"), "no storage classes");
    }

    @Test
    void serviceFieldsMoDoesNotImplementWarn() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  loadBalancerSourceRanges: [10.0.0.0/8]
                  externalTrafficPolicy: Local
                  sessionAffinity: ClientIP
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """);
        assertEquals(List.of("web.yaml:5: spec.loadBalancerSourceRanges: accepted, but mo does not act on this field yet"), warnings);
    }

    @Test
    void headlessServicesAndPodHostnamesAreActedOn() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  publishNotReadyAddresses: true
                  selector: {app: db}
                  ports: [{name: sql, port: 5432}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db-x, labels: {app: db}}
                spec:
                  hostname: db-x
                  subdomain: db
                  containers: [{name: db, image: postgres}]
                """);
        assertEquals(List.of(), warnings);
    }

    @Test
    void statusAndNullFieldsDoNotWarn() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  creationTimestamp: null
                data: {a: b}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                status: {phase: Active}
                """);
        assertEquals(List.of(), warnings);
    }

    @Test
    void podsUseThePodSpecList() {
        List<String> warnings = warnings("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  restartPolicy: Never
                  hostNetwork: true
                  containers: [{name: c, image: busybox, command: [sleep, "1"]}]
                """);
        assertEquals(List.of("web.yaml:6: spec.hostNetwork: accepted, but mo does not act on this field yet"), warnings);
    }

    @Test
    void warningsAreSeparateFromErrors() {
        List<ManifestProblem> warnings = new java.util.ArrayList<>();
        var object = ManifestLoader.parse("x.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  generateName: b\n")
                .documents().get(0).object();
        assertEquals(List.of(), Validator.validate(object, "x.yaml", LineMap.NONE, warnings));
        assertEquals(List.of("x.yaml: metadata.generateName: accepted, but mo does not act on this field yet"),
                warnings.stream().map(ManifestProblem::format).toList());
    }
}
