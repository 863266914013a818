package dev.mo.agent;

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

    private Map<String, String> resolve(String containerJson) throws ContainerConfigException {
        return resolver.resolve("feastflow", Json.parse(containerJson));
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
