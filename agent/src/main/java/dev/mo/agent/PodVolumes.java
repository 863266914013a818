package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pod's volumes ({@code spec.volumes}) and a container's {@code volumeMounts}, as the kubelet
 * mounts them, on Docker:
 * <ul>
 *   <li>{@code emptyDir}: a directory {@code <dataDir>/pods/<uid>/volumes/<name>} (mode 0777),
 *       shared by the pod's containers, removed when the pod is terminated ({@link #removePod});</li>
 *   <li>{@code configMap} / {@code secret}: the same kind of directory holding one file per key
 *       (or the {@code items} key→path list), mode {@code defaultMode} / item {@code mode} (0644 when
 *       unset), Secret values base64-decoded; always mounted read-only. A missing object or key is a
 *       {@link ContainerConfigException} (CreateContainerConfigError) unless {@code optional};</li>
 *   <li>{@code persistentVolumeClaim}: the Docker named volume {@code mo-pvc-<namespace>-<claimName>},
 *       created when absent and never removed by mo, so it outlives pods and restarts.</li>
 * </ul>
 * {@code subPath} mounts only that path of the volume. Planning ({@link #mounts}) is pure; writing
 * the files ({@link #materialize}) is the only I/O.
 */
final class PodVolumes {
    static final int DEFAULT_MODE = 0644;

    private PodVolumes() {}

    /** Where the pod's emptyDir, configMap and secret volumes live. */
    static Path podDir(Path dataDir, String uid) {
        return dataDir.resolve("pods").resolve(uid);
    }

    /** Docker volume holding a PersistentVolumeClaim's data. */
    static String pvcVolumeName(String namespace, String claimName) {
        return dev.mo.model.Claims.dockerVolumeName(namespace, claimName);
    }

    /** The container's mounts for its {@code volumeMounts}; pure. */
    static List<ContainerSpec.Mount> mounts(ObjectNode pod, JsonNode container, Path podDir) throws ContainerConfigException {
        Map<String, JsonNode> volumes = volumes(pod);
        List<ContainerSpec.Mount> out = new ArrayList<>();
        for (JsonNode vm : container.path("volumeMounts")) {
            String name = vm.path("name").asText();
            String mountPath = vm.path("mountPath").asText();
            String subPath = vm.path("subPath").asText("");
            boolean readOnly = vm.path("readOnly").asBoolean(false);
            JsonNode v = volumes.get(name);
            if (v == null) throw new ContainerConfigException("volumeMount \"" + name + "\": no volume \"" + name + "\" in the pod");
            if (subPath.startsWith("/") || List.of(subPath.split("/")).contains("..")) {
                throw new ContainerConfigException("volumeMount \"" + name + "\": subPath \"" + subPath + "\" must be a relative path without '..'");
            }
            switch (type(v)) {
                case "persistentVolumeClaim" -> out.add(ContainerSpec.Mount.volume(
                        pvcVolumeName(Meta.namespace(pod), v.path("persistentVolumeClaim").path("claimName").asText()),
                        subPath, mountPath, readOnly || v.path("persistentVolumeClaim").path("readOnly").asBoolean(false)));
                case "emptyDir" -> out.add(new ContainerSpec.Mount(hostPath(podDir, name, subPath), mountPath, readOnly));
                case "configMap", "secret" -> out.add(new ContainerSpec.Mount(hostPath(podDir, name, subPath), mountPath, true));
                default -> throw unsupported(name, v);
            }
        }
        return out;
    }

    /**
     * Creates the pod's emptyDir directories (and the subPaths the container asks for) and writes its
     * configMap/secret files, reading the objects from {@code source}. Called before each container start,
     * so a changed ConfigMap is seen by the next container start.
     */
    static void materialize(ObjectNode pod, JsonNode container, Path podDir, EnvResolver.ConfigSource source)
            throws ContainerConfigException {
        Map<String, JsonNode> volumes = volumes(pod);
        Map<String, Map<String, FileContent>> files = new LinkedHashMap<>();
        for (var e : volumes.entrySet()) {
            String type = type(e.getValue());
            if (type.equals("configMap") || type.equals("secret")) {
                JsonNode ref = e.getValue().path(type);
                boolean secret = type.equals("secret");
                String objName = ref.path(secret ? "secretName" : "name").asText();
                ObjectNode obj = source.get(secret ? "secrets" : "configmaps", Meta.namespace(pod), objName);
                files.put(e.getKey(), files(ref, obj, secret, objName));
            }
        }
        try {
            for (var e : volumes.entrySet()) {
                Path dir = podDir.resolve("volumes").resolve(e.getKey());
                Files.createDirectories(dir);
                if (type(e.getValue()).equals("emptyDir")) setMode(dir, 0777);
            }
            for (var vol : files.entrySet()) {
                Path dir = podDir.resolve("volumes").resolve(vol.getKey());
                for (var f : vol.getValue().entrySet()) write(dir.resolve(f.getKey()), f.getValue());
            }
            for (JsonNode vm : container.path("volumeMounts")) { // an emptyDir subPath is a directory Kubernetes creates
                JsonNode v = volumes.get(vm.path("name").asText());
                String subPath = vm.path("subPath").asText("");
                if (v != null && type(v).equals("emptyDir") && !subPath.isEmpty()) {
                    Path sub = podDir.resolve("volumes").resolve(vm.path("name").asText()).resolve(subPath);
                    Files.createDirectories(sub);
                    setMode(sub, 0777);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare volumes of pod " + ContainerStarter.ref(pod), e);
        }
    }

    /** One file of a configMap/secret volume. */
    record FileContent(byte[] bytes, int mode) {
        String text() { return new String(bytes, StandardCharsets.UTF_8); }
    }

    /**
     * The files of a configMap or secret volume, by relative path; pure. {@code obj} null = the object is missing:
     * no files when {@code optional}, else {@code configmap "x" not found}.
     */
    static Map<String, FileContent> files(JsonNode ref, ObjectNode obj, boolean secret, String objName)
            throws ContainerConfigException {
        boolean optional = ref.path("optional").asBoolean(false);
        int defaultMode = ref.path("defaultMode").asInt(DEFAULT_MODE);
        Map<String, FileContent> out = new LinkedHashMap<>();
        if (obj == null) {
            if (optional) return out;
            throw new ContainerConfigException((secret ? "secret \"" : "configmap \"") + objName + "\" not found");
        }
        Map<String, byte[]> values = values(obj, secret);
        JsonNode items = ref.path("items");
        if (items.isArray() && !items.isEmpty()) {
            for (JsonNode item : items) {
                String key = item.path("key").asText();
                byte[] value = values.get(key);
                if (value == null) {
                    if (optional) continue;
                    throw new ContainerConfigException((secret ? "secret" : "configmap") + " references non-existent "
                            + (secret ? "secret" : "config") + " key: " + key);
                }
                out.put(item.path("path").asText(key), new FileContent(value, item.path("mode").asInt(defaultMode)));
            }
        } else {
            values.forEach((k, v) -> out.put(k, new FileContent(v, defaultMode)));
        }
        return out;
    }

    /** Deletes the pod's volume directories (emptyDir data, configMap/secret files); PVC volumes stay. */
    static void removePod(Path podDir) {
        if (!Files.exists(podDir)) return;
        try (Stream<Path> walk = Files.walk(podDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) setMode(p, 0700); // a read-only dir would block deletes
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + podDir, e);
        }
    }

    private static Map<String, byte[]> values(ObjectNode obj, boolean secret) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (!secret) {
            Json.stringMap(obj, "data").forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
            Json.stringMap(obj, "binaryData").forEach((k, v) -> out.put(k, decode(v)));
            return out;
        }
        Json.stringMap(obj, "data").forEach((k, v) -> out.put(k, decode(v)));
        Json.stringMap(obj, "stringData").forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] decode(String v) {
        try {
            return Base64.getMimeDecoder().decode(v.strip());
        } catch (IllegalArgumentException notBase64) {
            return v.getBytes(StandardCharsets.UTF_8); // stored already decoded, as EnvResolver takes it
        }
    }

    private static Map<String, JsonNode> volumes(ObjectNode pod) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode v : pod.path("spec").path("volumes")) out.put(v.path("name").asText(), v);
        return out;
    }

    private static String type(JsonNode volume) {
        for (String t : List.of("emptyDir", "configMap", "secret", "persistentVolumeClaim")) {
            if (volume.has(t)) return t;
        }
        return "";
    }

    private static ContainerConfigException unsupported(String name, JsonNode v) {
        List<String> fields = new ArrayList<>();
        v.fieldNames().forEachRemaining(f -> { if (!f.equals("name")) fields.add(f); });
        return new ContainerConfigException("volume \"" + name + "\": " + String.join(",", fields)
                + " volumes are not supported by mo (emptyDir, configMap, secret, persistentVolumeClaim are)");
    }

    private static String hostPath(Path podDir, String volume, String subPath) {
        Path p = podDir.resolve("volumes").resolve(volume);
        return (subPath.isEmpty() ? p : p.resolve(subPath)).toAbsolutePath().toString();
    }

    private static void write(Path file, FileContent content) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) setMode(file, 0600); // may be read-only from the last start
        Files.write(file, content.bytes()); // in place: a subPath bind of this file sees the new content
        setMode(file, content.mode());
    }

    static void setMode(Path p, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((mode & (1 << i)) != 0) perms.add(order[i]);
        Files.setPosixFilePermissions(p, perms);
    }
}
