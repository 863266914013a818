package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerSpec.Mount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Volume-to-mount planning (pure), configMap/secret file contents and modes, and the files on disk. */
class PodVolumesTest {
    private static final Path POD_DIR = Path.of("/data/pods/uid-1");

    static ObjectNode pod(String volumes, String mounts) {
        return Json.parse("""
                {"metadata":{"name":"p","namespace":"shop","uid":"uid-1"},
                 "spec":{"volumes":%s,"containers":[{"name":"a","image":"busybox","volumeMounts":%s}]}}
                """.formatted(volumes, mounts));
    }

    private static List<Mount> mounts(String volumes, String mounts) throws ContainerConfigException {
        ObjectNode p = pod(volumes, mounts);
        return PodVolumes.mounts(p, p.path("spec").path("containers").get(0), POD_DIR);
    }

    @Test
    void eachVolumeKindBecomesItsMount() throws Exception {
        assertEquals(List.of(
                        new Mount("/data/pods/uid-1/volumes/scratch", "/scratch", false),
                        new Mount("/data/pods/uid-1/volumes/scratch/logs", "/logs", true),
                        new Mount("/data/pods/uid-1/volumes/conf", "/etc/app", true),          // configMap: always read-only
                        new Mount("/data/pods/uid-1/volumes/conf/app.yaml", "/app.yaml", true), // subPath: one file
                        new Mount("/data/pods/uid-1/volumes/creds", "/creds", true),
                        Mount.volume("mo-pvc-shop-data", null, "/var/lib/db", false),
                        Mount.volume("mo-pvc-shop-data", "pg", "/pg", true),
                        Mount.volume("mo-pvc-shop-ro", null, "/ro", true)),                    // the claim's readOnly
                mounts("""
                        [{"name":"scratch","emptyDir":{}},{"name":"conf","configMap":{"name":"c"}},
                         {"name":"creds","secret":{"secretName":"s"}},
                         {"name":"data","persistentVolumeClaim":{"claimName":"data"}},
                         {"name":"ro","persistentVolumeClaim":{"claimName":"ro","readOnly":true}}]""", """
                        [{"name":"scratch","mountPath":"/scratch"},{"name":"scratch","mountPath":"/logs","subPath":"logs","readOnly":true},
                         {"name":"conf","mountPath":"/etc/app"},{"name":"conf","mountPath":"/app.yaml","subPath":"app.yaml"},
                         {"name":"creds","mountPath":"/creds"},{"name":"data","mountPath":"/var/lib/db"},
                         {"name":"data","mountPath":"/pg","subPath":"pg","readOnly":true},{"name":"ro","mountPath":"/ro"}]"""));
    }

    @Test
    void badMountsAreConfigErrors() {
        assertEquals("volumeMount \"x\": no volume \"x\" in the pod", assertThrows(ContainerConfigException.class,
                () -> mounts("[]", "[{\"name\":\"x\",\"mountPath\":\"/x\"}]")).getMessage());
        assertEquals("volumeMount \"v\": subPath \"../etc\" must be a relative path without '..'", assertThrows(ContainerConfigException.class,
                () -> mounts("[{\"name\":\"v\",\"emptyDir\":{}}]", "[{\"name\":\"v\",\"mountPath\":\"/x\",\"subPath\":\"../etc\"}]")).getMessage());
        assertTrue(assertThrows(ContainerConfigException.class, () -> mounts("[{\"name\":\"h\",\"hostPath\":{\"path\":\"/\"}}]",
                "[{\"name\":\"h\",\"mountPath\":\"/h\"}]")).getMessage().startsWith("volume \"h\": hostPath volumes are not supported"));
        assertEquals(List.of(), assertDoesNotThrow(() -> mounts("[{\"name\":\"h\",\"hostPath\":{\"path\":\"/\"}}]", "[]")));
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    private static ObjectNode configMap(Map<String, String> data) {
        ObjectNode o = Json.object();
        data.forEach(o.putObject("data")::put);
        return o;
    }

    private static Map<String, String> files(String ref, ObjectNode obj, boolean secret) throws ContainerConfigException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        PodVolumes.files(Json.parse(ref), obj, secret, "c").forEach((k, v) -> out.put(k, Integer.toOctalString(v.mode()) + " " + v.text()));
        return out;
    }

    @Test
    void configMapAndSecretFiles() throws Exception {
        ObjectNode cm = configMap(Map.of("a", "1", "b", "2"));
        assertEquals(Map.of("a", "644 1", "b", "644 2"), files("{\"name\":\"c\"}", cm, false));          // 0644 by default
        assertEquals(Map.of("a", "400 1", "b", "400 2"), files("{\"name\":\"c\",\"defaultMode\":256}", cm, false));
        assertEquals(Map.of("conf/one.txt", "600 1"), files(
                "{\"name\":\"c\",\"defaultMode\":256,\"items\":[{\"key\":\"a\",\"path\":\"conf/one.txt\",\"mode\":384}]}", cm, false));
        assertEquals(Map.of("conf/one.txt", "400 1"), files(
                "{\"name\":\"c\",\"defaultMode\":256,\"items\":[{\"key\":\"a\",\"path\":\"conf/one.txt\"}]}", cm, false));
        ObjectNode secret = configMap(Map.of("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))));
        assertEquals(Map.of("password", "644 s3cret"), files("{\"secretName\":\"c\"}", secret, true));  // base64-decoded
    }

    @Test
    void missingObjectsAndKeys() throws Exception {
        assertEquals("configmap \"c\" not found", assertThrows(ContainerConfigException.class,
                () -> files("{\"name\":\"c\"}", null, false)).getMessage());
        assertEquals("secret \"c\" not found", assertThrows(ContainerConfigException.class,
                () -> files("{\"secretName\":\"c\"}", null, true)).getMessage());
        assertEquals(Map.of(), files("{\"name\":\"c\",\"optional\":true}", null, false));
        assertEquals("configmap references non-existent config key: z", assertThrows(ContainerConfigException.class,
                () -> files("{\"name\":\"c\",\"items\":[{\"key\":\"z\",\"path\":\"z\"}]}", configMap(Map.of("a", "1")), false)).getMessage());
        assertEquals(Map.of(), files("{\"name\":\"c\",\"optional\":true,\"items\":[{\"key\":\"z\",\"path\":\"z\"}]}", configMap(Map.of("a", "1")), false));
    }

    @Test
    void materializeWritesFilesWithModesAndRemovePodDeletesThem(@TempDir Path dataDir) throws Exception {
        ObjectNode p = pod("""
                [{"name":"scratch","emptyDir":{}},{"name":"conf","configMap":{"name":"c","defaultMode":256}}]""", """
                [{"name":"scratch","mountPath":"/logs","subPath":"logs"}]""");
        Path podDir = PodVolumes.podDir(dataDir, "uid-1");
        EnvResolver.ConfigSource source = (kind, ns, name) ->
                kind.equals("configmaps") && ns.equals("shop") && name.equals("c") ? configMap(Map.of("app.yaml", "port: 80\n")) : null;
        PodVolumes.materialize(p, p.path("spec").path("containers").get(0), podDir, source);
        Path file = podDir.resolve("volumes/conf/app.yaml");
        assertEquals("port: 80\n", Files.readString(file));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(podDir.resolve("volumes/scratch"))));
        assertTrue(Files.isDirectory(podDir.resolve("volumes/scratch/logs")));

        PodVolumes.materialize(p, p.path("spec").path("containers").get(0), podDir, source); // again (a restart): read-only file rewritten
        assertEquals("port: 80\n", Files.readString(file));

        PodVolumes.removePod(podDir);
        assertFalse(Files.exists(podDir));
        assertTrue(Files.exists(dataDir));
    }
}
