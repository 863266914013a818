package dev.mo.agent.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The pods' hosts files on this host, one per pod under {@code dir}, bind-mounted as each
 * container's {@code /etc/hosts}. Files are rewritten in place (same inode): a bind mount
 * keeps pointing at the file it was made from, so a new file would go unseen.
 */
public final class HostsFiles {
    private static final Logger log = LoggerFactory.getLogger(HostsFiles.class);

    private final Path dir;

    public HostsFiles(Path dir) { this.dir = dir; }

    public Path pathFor(String podUid) { return dir.resolve(podUid); }

    /** Writes the file if its content changed; returns its path. */
    public Path write(String podUid, String content) {
        Path file = pathFor(podUid);
        try {
            Files.createDirectories(dir);
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) return file;
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write hosts file " + file, e);
        }
    }

    /** Forgets a pod whose containers are gone. */
    public void remove(String podUid) {
        try {
            Files.deleteIfExists(pathFor(podUid));
        } catch (IOException e) {
            log.debug("could not remove hosts file of pod {}: {}", podUid, e.toString());
        }
    }
}
