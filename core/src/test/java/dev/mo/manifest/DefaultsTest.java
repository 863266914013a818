package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Base64;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultsTest {

    private static ObjectNode parse(String yaml) {
        LoadResult result = ManifestLoader.parse("t.yaml", yaml);
        assertTrue(result.ok(), result.errors()::toString);
        return result.documents().get(0).object();
    }

    private static ObjectNode defaulted(String yaml) {
        ObjectNode object = parse(yaml);
        Defaults.apply(object);
        return object;
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: nginx
                      ports: [{containerPort: 80}]
                      livenessProbe:
                        httpGet: {port: 80}
                    - name: side
                      image: busybox:1.36
            """;

    @Test
    void deployment() {
        ObjectNode d = defaulted(DEPLOYMENT);
        JsonNode spec = d.get("spec");
        assertEquals(1, spec.get("replicas").asInt());
        assertEquals("RollingUpdate", spec.at("/strategy/type").asText());
        assertEquals("25%", spec.at("/strategy/rollingUpdate/maxSurge").asText());
        assertEquals("25%", spec.at("/strategy/rollingUpdate/maxUnavailable").asText());
        assertEquals(10, spec.get("revisionHistoryLimit").asInt());
        assertEquals(600, spec.get("progressDeadlineSeconds").asInt());

        JsonNode pod = spec.at("/template/spec");
        assertEquals("Always", pod.get("restartPolicy").asText());
        assertEquals(30, pod.get("terminationGracePeriodSeconds").asInt());
        assertEquals("ClusterFirst", pod.get("dnsPolicy").asText());
        assertEquals("default-scheduler", pod.get("schedulerName").asText());
        assertTrue(pod.get("securityContext").isObject() && pod.get("securityContext").isEmpty());

        JsonNode web = pod.at("/containers/0");
        assertEquals("Always", web.get("imagePullPolicy").asText());
        assertEquals("/dev/termination-log", web.get("terminationMessagePath").asText());
        assertEquals("File", web.get("terminationMessagePolicy").asText());
        assertEquals("TCP", web.at("/ports/0/protocol").asText());
        JsonNode probe = web.get("livenessProbe");
        assertEquals(1, probe.get("timeoutSeconds").asInt());
        assertEquals(10, probe.get("periodSeconds").asInt());
        assertEquals(1, probe.get("successThreshold").asInt());
        assertEquals(3, probe.get("failureThreshold").asInt());
        assertEquals("HTTP", probe.at("/httpGet/scheme").asText());
        assertEquals("/", probe.at("/httpGet/path").asText());
        assertEquals("IfNotPresent", pod.at("/containers/1/imagePullPolicy").asText());

        // The defaulted object is still valid.
        assertEquals(java.util.List.of(), Validator.validate(d, null, LineMap.NONE, null));
    }

    @Test
    void isIdempotent() {
        for (String yaml : new String[]{DEPLOYMENT, Samples.SHOP.split("\n---\n")[4], Samples.SHOP.split("\n---\n")[5]}) {
            ObjectNode once = defaulted(yaml);
            ObjectNode twice = once.deepCopy();
            Defaults.apply(twice);
            assertEquals(once, twice);
        }
    }

    @Test
    void keepsWhatIsSet() {
        ObjectNode d = defaulted(DEPLOYMENT.replace("spec:\n  selector", "spec:\n  replicas: 0\n  strategy: {type: Recreate}\n  selector"));
        assertEquals(0, d.at("/spec/replicas").asInt());
        assertEquals("Recreate", d.at("/spec/strategy/type").asText());
        assertFalse(d.at("/spec/strategy").has("rollingUpdate"), "no rollingUpdate for Recreate");
    }

    @Test
    void onlyTheMissingRollingUpdateHalfIsDefaulted() {
        ObjectNode d = defaulted(DEPLOYMENT.replace("spec:\n  selector",
                "spec:\n  strategy: {rollingUpdate: {maxSurge: 0}}\n  selector"));
        assertEquals(0, d.at("/spec/strategy/rollingUpdate/maxSurge").asInt());
        assertEquals("25%", d.at("/spec/strategy/rollingUpdate/maxUnavailable").asText());
    }

    @ParameterizedTest
    @CsvSource({
            "nginx, Always",
            "nginx:latest, Always",
            "nginx:1.27, IfNotPresent",
            "registry.local:5000/team/app, Always",
            "registry.local:5000/team/app:v2, IfNotPresent",
            "app@sha256:abc, IfNotPresent",
            "app:latest@sha256:abc, Always",
    })
    void imagePullPolicyFollowsTheTag(String image, String policy) {
        assertEquals(policy, Defaults.pullPolicy(image));
    }

    @Test
    void clientIpAffinityGetsKubeProxysThreeHours() {
        String service = """
                apiVersion: v1
                kind: Service
                metadata: {name: cart}
                spec:
                  sessionAffinity: ClientIP
                  ports: [{port: 80}]
                """;
        assertEquals(10_800, defaulted(service).at("/spec/sessionAffinityConfig/clientIP/timeoutSeconds").asInt());
        assertTrue(defaulted(service.replace("ClientIP", "None")).at("/spec/sessionAffinityConfig").isMissingNode());
    }

    @Test
    void aNetworkPolicyGetsThePolicyTypesOfItsRules() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db}
                spec:
                  podSelector: {}
                """;
        assertEquals("[\"Ingress\"]", defaulted(policy).at("/spec/policyTypes").toString());
        assertEquals("[\"Ingress\",\"Egress\"]",
                defaulted(policy + "  egress: [{to: [{podSelector: {}}]}]\n").at("/spec/policyTypes").toString());
        assertEquals("[\"Egress\"]",
                defaulted(policy + "  policyTypes: [Egress]\n").at("/spec/policyTypes").toString(), "kept when set");
    }

    @Test
    void statefulSet() {
        ObjectNode s = defaulted(Samples.SHOP.split("\n---\n")[4]);
        JsonNode spec = s.get("spec");
        assertEquals("StatefulSet", s.get("kind").asText());
        assertEquals("OrderedReady", spec.get("podManagementPolicy").asText());
        assertEquals("RollingUpdate", spec.at("/updateStrategy/type").asText());
        assertEquals(0, spec.at("/updateStrategy/rollingUpdate/partition").asInt());
        assertEquals(10, spec.get("revisionHistoryLimit").asInt());
        assertEquals("Delete", spec.at("/persistentVolumeClaimRetentionPolicy/whenScaled").asText(), "kept");
        assertEquals("Retain", spec.at("/persistentVolumeClaimRetentionPolicy/whenDeleted").asText());
        assertEquals("Filesystem", spec.at("/volumeClaimTemplates/0/spec/volumeMode").asText());
        assertEquals("IfNotPresent", spec.at("/template/spec/containers/0/imagePullPolicy").asText());
        assertEquals(60, spec.at("/template/spec/terminationGracePeriodSeconds").asInt(), "kept");
    }

    @Test
    void service() {
        ObjectNode s = defaulted("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports:
                    - {name: http, port: 80}
                    - {name: dns, port: 53, targetPort: dns, protocol: UDP}
                """);
        JsonNode spec = s.get("spec");
        assertEquals("ClusterIP", spec.get("type").asText());
        assertEquals("None", spec.get("sessionAffinity").asText());
        assertEquals("TCP", spec.at("/ports/0/protocol").asText());
        assertEquals(80, spec.at("/ports/0/targetPort").asInt());
        assertTrue(spec.at("/ports/0/targetPort").isInt());
        assertEquals("dns", spec.at("/ports/1/targetPort").asText());
        assertEquals("UDP", spec.at("/ports/1/protocol").asText());
    }

    @Test
    void secretStringDataIsMergedIntoData() {
        ObjectNode s = defaulted("""
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                data:
                  user: YWRtaW4=
                  password: b2xk
                stringData:
                  password: "s3cret é"
                """);
        assertEquals("Opaque", s.get("type").asText());
        assertFalse(s.has("stringData"));
        assertEquals("YWRtaW4=", s.at("/data/user").asText());
        assertEquals("s3cret é", new String(Base64.getDecoder().decode(s.at("/data/password").asText()),
                StandardCharsets.UTF_8));
    }

    @Test
    void pvcAndAutoscalers() {
        ObjectNode pvc = defaulted(Samples.SHOP.split("\n---\n")[3]);
        assertEquals("Filesystem", pvc.at("/spec/volumeMode").asText());

        ObjectNode v1 = defaulted(Samples.SHOP.split("\n---\n")[9]);
        assertEquals(1, v1.at("/spec/minReplicas").asInt());
        assertFalse(v1.get("spec").has("metrics"), "autoscaling/v1 has no metrics field");

        ObjectNode v2 = defaulted("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {kind: Deployment, name: web}
                  maxReplicas: 4
                """);
        assertEquals(1, v2.at("/spec/minReplicas").asInt());
        assertEquals("cpu", v2.at("/spec/metrics/0/resource/name").asText());
        assertEquals(80, v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
    }

    @Test
    void aLimitWithoutARequestBecomesTheRequest() {
        ObjectNode pod = defaulted("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  initContainers:
                    - {name: init, image: busybox:1.36, resources: {limits: {cpu: 200m}}}
                  containers:
                    - name: app
                      image: busybox:1.36
                      resources:
                        limits: {cpu: "1", memory: 256Mi}
                        requests: {cpu: 250m}
                """);
        assertEquals("250m", pod.at("/spec/containers/0/resources/requests/cpu").asText(), "a request given is kept");
        assertEquals("256Mi", pod.at("/spec/containers/0/resources/requests/memory").asText());
        assertEquals("200m", pod.at("/spec/initContainers/0/resources/requests/cpu").asText());
    }

    @Test
    void doesNotDefaultTheNamespace() {
        ObjectNode cm = defaulted("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        assertFalse(cm.get("metadata").has("namespace"));
    }

    @Test
    void leavesWrongTypesForValidation() {
        ObjectNode d = parseLeniently("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: "nonsense"
                """);
        Defaults.apply(d);
        assertEquals("nonsense", d.get("spec").asText());
    }

    private static ObjectNode parseLeniently(String yaml) {
        return ManifestLoader.parse("t.yaml", yaml).documents().get(0).object();
    }
}
