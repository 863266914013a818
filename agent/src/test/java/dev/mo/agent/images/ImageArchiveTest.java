package dev.mo.agent.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The archive check, on archives laid out as {@code docker save} writes them (Docker 20.10's layout). */
class ImageArchiveTest {
    static final byte[] CONFIG = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
    static final String ID = "sha256:" + ImageArchive.sha256(CONFIG);
    static final String CONFIG_FILE = ID.substring("sha256:".length()) + ".json";

    @TempDir
    Path dir;

    Path archive(String manifest, Map<String, byte[]> more) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("0123abcd/layer.tar", new byte[1500]);
        entries.putAll(more);
        entries.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        Path tar = dir.resolve("image.tar");
        Files.write(tar, ImageArchive.tar(entries));
        return tar;
    }

    Path archive(String manifest) throws Exception {
        return archive(manifest, Map.of(CONFIG_FILE, CONFIG));
    }

    static String manifest(String config, String tags) {
        return "[{\"Config\":\"" + config + "\",\"RepoTags\":" + tags + ",\"Layers\":[\"0123abcd/layer.tar\"]}]";
    }

    @Test
    void theImageAskedForPasses() throws Exception {
        Path tar = archive(manifest(CONFIG_FILE, "[\"app:v1\"]"));
        assertDoesNotThrow(() -> ImageArchive.check(tar, "app:v1", ID));
    }

    @Test
    void anotherImageIdIsRejected() throws Exception {
        Path tar = archive(manifest(CONFIG_FILE, "[\"app:v1\"]"));
        String other = "sha256:" + "0".repeat(64);
        ImageArchive.Rejected e = assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(tar, "app:v1", other));
        assertEquals("the archive's image is " + ID + ", not " + other, e.getMessage());
    }

    @Test
    void aConfigWhoseContentWasChangedIsRejected() throws Exception {
        byte[] changed = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"x\"]}}".getBytes(StandardCharsets.UTF_8);
        Path tar = archive(manifest(CONFIG_FILE, "[\"app:v1\"]"), Map.of(CONFIG_FILE, changed));
        assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(tar, "app:v1", ID));
    }

    @Test
    void extraTagsOrImagesAreRejectedSoALoadCannotRetagThisHostsImages() throws Exception {
        Path twoTags = archive(manifest(CONFIG_FILE, "[\"app:v1\",\"postgres:15\"]"));
        ImageArchive.Rejected e = assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(twoTags, "app:v1", ID));
        assertEquals("the archive's image is tagged [\"app:v1\",\"postgres:15\"], not [\"app:v1\"]", e.getMessage());

        String one = manifest(CONFIG_FILE, "[\"app:v1\"]");
        Path twoImages = archive("[" + one.substring(1, one.length() - 1) + "," + one.substring(1, one.length() - 1) + "]");
        e = assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(twoImages, "app:v1", ID));
        assertEquals("the archive holds 2 images, not 1", e.getMessage());
    }

    @Test
    void anotherTagIsRejected() throws Exception {
        Path tar = archive(manifest(CONFIG_FILE, "[\"app:v2\"]"));
        assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(tar, "app:v1", ID));
    }

    @Test
    void anArchiveWithoutManifestOrConfigIsRejected() throws Exception {
        Path noManifest = dir.resolve("none.tar");
        Files.write(noManifest, ImageArchive.tar(Map.of(CONFIG_FILE, CONFIG)));
        ImageArchive.Rejected e = assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(noManifest, "app:v1", ID));
        assertEquals("not an image archive: no manifest.json", e.getMessage());

        Path noConfig = archive(manifest(CONFIG_FILE, "[\"app:v1\"]"), Map.of());
        e = assertThrows(ImageArchive.Rejected.class, () -> ImageArchive.check(noConfig, "app:v1", ID));
        assertEquals("the archive lacks its image config " + CONFIG_FILE, e.getMessage());
    }

    @Test
    void anArchiveCutShortIsAnError() throws Exception {
        Path tar = archive(manifest(CONFIG_FILE, "[\"app:v1\"]"));
        byte[] whole = Files.readAllBytes(tar);
        Files.write(tar, java.util.Arrays.copyOf(whole, 700)); // inside the layer's content
        assertThrows(Exception.class, () -> ImageArchive.check(tar, "app:v1", ID));
    }
}
