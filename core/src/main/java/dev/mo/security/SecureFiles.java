package dev.mo.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold keys and certificates: written whole or not at all, with their mode set from
 * the start.
 *
 * <p>A key file is never readable by others, not even for a moment: the temporary file is created
 * with its mode already set, then filled, synced and renamed over the target. A rename in one
 * directory is atomic, so a crash leaves the old file or the new one, never half a key.
 */
public final class SecureFiles {
    /** 0600: private keys and the join token. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** 0644: certificates, which are public. */
    public static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {}

    /** Writes a secret (a private key, a token) readable by its owner only. */
    public static void writePrivate(Path file, String content) throws IOException {
        write(file, content, OWNER_ONLY);
    }

    /** Writes a certificate or other public text, readable by all. */
    public static void writePublic(Path file, String content) throws IOException {
        write(file, content, WORLD_READABLE);
    }

    /** Writes {@code content} to {@code file} atomically; the file has exactly {@code mode}. */
    public static void write(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode));
        Files.setPosixFilePermissions(tmp, mode); // the umask may have taken bits off a 0644 file
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) ch.write(bytes);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Creates {@code dir} (and its parents) if needed and makes it 0700. */
    public static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PRIVATE_DIRECTORY);
    }
}
