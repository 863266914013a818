package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvResolverTest {
    private final FakeNodeApi api = new FakeNodeApi();
    private final EnvResolver resolver = new EnvResolver(api::getConfigObject);

    private static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes()); }

    private static final EnvResolver.Node NODE = new EnvResolver.Node("10.0.0.7", 4, 8L << 30);
    private final ObjectNode pod = Json.parse("""
            {"metadata":{"name":"backend-1","namespace":"feastflow","uid":"u-1","labels":{"app":"feastflow"},
             "annotations":{"team":"kitchen"}},"spec":{"nodeName":"vps-1"}}""");

    private Map<String, String> resolve(String containerJson) throws ContainerConfigException {
        return resolver.resolve(pod, Json.parse(containerJson), NODE);
    }

    @Test
    void fieldRefsComeFromThePodAndItsNode() throws Exception {
        Map<String, String> env = resolve("""
                {"name":"web","env":[
                  {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                  {"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
                  {"name":"POD_UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
                  {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                  {"name":"TEAM","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['team']"}}},
                  {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                  {"name":"SA","valueFrom":{"fieldRef":{"fieldPath":"spec.serviceAccountName"}}},
                  {"name":"HOST_IP","valueFrom":{"fieldRef":{"fieldPath":"status.hostIP"}}},
                  {"name":"GREETING","value":"hi from $(POD_NAME)"}]}""");
        assertEquals(Map.of("POD_NAME", "backend-1", "POD_NAMESPACE", "feastflow", "POD_UID", "u-1", "APP", "feastflow",
                "TEAM", "kitchen", "NODE", "vps-1", "SA", "default", "HOST_IP", "10.0.0.7", "GREETING", "hi from backend-1"), env);
        ContainerConfigException podIp = assertThrows(ContainerConfigException.class, () -> resolve("""
                {"name":"web","env":[{"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}]}"""));
        assertEquals("fieldRef status.podIP is not supported by mo (a container's IP is known only after it starts)", podIp.getMessage());
    }

    @Test
    void resourceFieldRefsDivideAndRoundUpAsTheKubelet() throws Exception {
        Map<String, String> env = resolve("""
                {"name":"web","resources":{"requests":{"cpu":"250m"},"limits":{"memory":"512Mi"}},"env":[
                  {"name":"CPU_REQUEST","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu","divisor":"1m"}}},
                  {"name":"CPU_LIMIT","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
                  {"name":"MEM_LIMIT_MI","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
                  {"name":"MEM_REQUEST","valueFrom":{"resourceFieldRef":{"resource":"requests.memory"}}},
                  {"name":"CPU_CORES","valueFrom":{"resourceFieldRef":{"resource":"requests.cpu"}}}]}""");
        assertEquals("250", env.get("CPU_REQUEST"));
        assertEquals("4", env.get("CPU_LIMIT"), "no limit: the node's allocatable CPUs");
        assertEquals("512", env.get("MEM_LIMIT_MI"));
        assertEquals(Long.toString(512L << 20), env.get("MEM_REQUEST"), "requests default to limits");
        assertEquals("1", env.get("CPU_CORES"), "0.25 cores rounded up");
    }

    @Test
    void literalsConfigMapKeysAndBase64Secrets() throws Exception {
        api.putConfig("configmaps", "feastflow", "app-config", Map.of("LOG_LEVEL", "debug"));
        api.putConfig("secrets", "feastflow", "db", Map.of("password", b64("s3cret")));
        Map<String, String> env = resolve("""
                {"name":"web","env":[
                  {"name":"A","value":"1"},
                  {"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"LOG_LEVEL"}}},
                  {"name":"PW","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]}""");
        assertEquals(Map.of("A", "1", "LEVEL", "debug", "PW", "s3cret"), env);
    }

    @Test
    void envFromWithPrefixThenEnvOverrides() throws Exception {
        api.putConfig("configmaps", "feastflow", "app-config", Map.of("LOG_LEVEL", "debug", "PORT", "80"));
        api.putConfig("secrets", "feastflow", "db", Map.of("USER", b64("admin")));
        Map<String, String> env = resolve("""
                {"name":"web","envFrom":[{"configMapRef":{"name":"app-config"}},{"prefix":"DB_","secretRef":{"name":"db"}}],
                 "env":[{"name":"PORT","value":"8080"}]}""");
        assertEquals("debug", env.get("LOG_LEVEL"));
        assertEquals("8080", env.get("PORT"));
        assertEquals("admin", env.get("DB_USER"));
    }

    @Test
    void missingConfigMapKeyAndSecretUseKubernetesMessages() {
        api.putConfig("configmaps", "feastflow", "app-config", Map.of("OTHER", "x"));
        assertEquals("configmap \"nope\" not found", assertThrows(ContainerConfigException.class, () -> resolve("""
                {"name":"web","env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"nope","key":"K"}}}]}""")).getMessage());
        assertEquals("couldn't find key LOG_LEVEL in ConfigMap feastflow/app-config", assertThrows(ContainerConfigException.class, () -> resolve("""
                {"name":"web","env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"LOG_LEVEL"}}}]}""")).getMessage());
        assertEquals("secret \"db\" not found", assertThrows(ContainerConfigException.class, () -> resolve("""
                {"name":"web","envFrom":[{"secretRef":{"name":"db"}}]}""")).getMessage());
    }

    @Test
    void optionalReferencesAreSkipped() throws Exception {
        api.putConfig("configmaps", "feastflow", "app-config", Map.of());
        Map<String, String> env = resolve("""
                {"name":"web","envFrom":[{"configMapRef":{"name":"nope","optional":true}}],
                 "env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"K","optional":true}}},
                        {"name":"Y","valueFrom":{"secretKeyRef":{"name":"nope","key":"K","optional":true}}},
                        {"name":"Z","value":"z"}]}""");
        assertEquals(Map.of("Z", "z"), env);
    }

    @Test
    void dollarParenExpansionAsKubernetes() throws Exception {
        Map<String, String> env = resolve("""
                {"name":"web","env":[{"name":"HOST","value":"db"},{"name":"URL","value":"pg://$(HOST):5432/$(MISSING)"},
                                     {"name":"LIT","value":"$$(HOST)"}]}""");
        assertEquals("pg://db:5432/$(MISSING)", env.get("URL"));
        assertEquals("$(HOST)", env.get("LIT"));
        JsonNode args = Json.parse("{\"a\":[\"--url=$(URL)\",\"$(HOST)\"]}").get("a");
        assertEquals(List.of("--url=pg://db:5432/$(MISSING)", "db"), EnvResolver.expandAll(args, env));
        assertEquals(null, EnvResolver.expandAll(null, env));
    }
}
