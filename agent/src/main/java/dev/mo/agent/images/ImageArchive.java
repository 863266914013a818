package dev.mo.agent.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Checks a {@code docker save} archive that came from another node before the engine loads
 * it. The archive is a tar: one directory per layer, the image's config (a JSON file whose
 * SHA-256 <em>is</em> the image ID) and {@code manifest.json}, which names the config, the
 * layers and the tags to give the image.
 *
 * <p>Two things are checked: the manifest holds exactly one image, tagged exactly as asked
 * (so a load cannot retag other images of this host), and the config's hash equals the image
 * ID the source node listed. The engine's load then checks each layer against the config's
 * {@code rootfs.diff_ids}: together, every byte loaded is the image that was asked for.
 */
public final class ImageArchive {
    private static final int BLOCK = 512;

    private ImageArchive() {}

    /** The archive is not the image asked for; the message says why. */
    public static final class Rejected extends Exception {
        Rejected(String message) { super(message); }
    }

    /**
     * @param repoTag    the one tag the image must carry ({@code mo-example/hello:v1})
     * @param expectedId the image ID the source node listed ({@code sha256:...})
     */
    public static void check(Path tar, String repoTag, String expectedId) throws IOException, Rejected {
        Map<String, String> jsonHashes = new HashMap<>(); // small top-level files: name -> sha256
        byte[] manifest = null;
        try (InputStream in = Files.newInputStream(tar)) {
            String longName = null;
            byte[] header;
            while ((header = in.readNBytes(BLOCK)).length == BLOCK && !allZero(header)) {
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String name = longName != null ? longName : name(header);
                longName = null;
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                boolean small = size <= 16L * 1024 * 1024;
                if (type == 'x' && small) {                          // PAX header: may carry a long path
                    longName = paxPath(readExactly(in, size));
                    skip(in, padded - size);
                } else if ((type == '0' || type == 0) && small && !name.contains("/") && name.endsWith(".json")
                        || (type == '0' || type == 0) && small && name.startsWith("blobs/sha256/")) {
                    byte[] content = readExactly(in, size);
                    skip(in, padded - size);
                    if (name.equals("manifest.json")) manifest = content;
                    else jsonHashes.put(name, "sha256:" + sha256(content));
                } else {
                    skip(in, padded);
                }
            }
        }
        if (manifest == null) throw new Rejected("not an image archive: no manifest.json");
        JsonNode images;
        try {
            images = Json.MAPPER.readTree(manifest);
        } catch (IOException e) {
            throw new Rejected("the archive's manifest.json is not JSON");
        }
        if (!images.isArray() || images.size() != 1) {
            throw new Rejected("the archive holds " + (images.isArray() ? images.size() : 0) + " images, not 1");
        }
        JsonNode image = images.get(0);
        JsonNode tags = image.path("RepoTags");
        if (tags.size() != 1 || !repoTag.equals(tags.get(0).asText())) {
            throw new Rejected("the archive's image is tagged " + tags + ", not [\"" + repoTag + "\"]");
        }
        String config = image.path("Config").asText("");
        String actual = jsonHashes.get(config);
        if (actual == null) throw new Rejected("the archive lacks its image config " + config);
        if (!actual.equals(expectedId)) {
            throw new Rejected("the archive's image is " + actual + ", not " + expectedId);
        }
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = cString(h, 257, 6).startsWith("ustar");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** A PAX record set ("LEN key=value\n"...): the {@code path} value, if any. */
    private static String paxPath(byte[] records) {
        for (String line : new String(records, StandardCharsets.UTF_8).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) return line.substring(space + 1 + "path=".length());
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        String s = cString(b, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive (entry size '" + s + "')");
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static byte[] readExactly(InputStream in, long size) throws IOException {
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) throw new IOException("the archive ends inside an entry");
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) throw new IOException("the archive ends inside an entry");
                skipped = 1;
            }
            left -= skipped;
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For tests: a tar of the given entries (name -> content), as a producer of archives writes it. */
    static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] h = new byte[BLOCK];
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            byte[] size = String.format("%011o", e.getValue().length).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(size, 0, h, 124, size.length);
            h[156] = '0';
            out.write(h);
            out.write(e.getValue());
            out.write(new byte[(BLOCK - e.getValue().length % BLOCK) % BLOCK]);
        }
        out.write(new byte[2 * BLOCK]);
        return out.toByteArray();
    }
}
