package dev.mo.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.security.SecureFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The store on disk: {@code snapshot.json} (every object at some revision) plus
 * {@code journal.log} (one line per transaction after it).
 *
 * <p>Why this survives {@code kill -9} at any moment: a transaction is one line, written
 * whole with a CRC and flushed to disk ({@code fsync}) before the caller is answered. On
 * start, lines are replayed in order; a last line cut short by a crash fails its CRC and is
 * dropped, and it was never acknowledged. A snapshot is written to a temporary file, synced
 * and renamed over the old one, so it is either the old or the new one, never half of each;
 * journal lines at or below the snapshot's revision are skipped, which makes a crash between
 * the rename and the journal reset harmless.
 */
final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    /** Rewrite the snapshot after this many journal lines, so start-up replay stays short. */
    static final int COMPACT_AFTER_LINES = 20_000;

    private final Path dir;
    private final Path snapshotFile;
    private final Path journalFile;
    /**
     * A RandomAccessFile, not a FileChannel: a FileChannel is closed for everyone when any
     * thread is interrupted while writing to it, and threads are interrupted on shutdown.
     */
    private RandomAccessFile journal;
    private int linesSinceSnapshot;

    Journal(Path dir) {
        this.dir = dir;
        this.snapshotFile = dir.resolve("snapshot.json");
        this.journalFile = dir.resolve("journal.log");
    }

    /** What was on disk: the objects and the last revision. */
    record Loaded(Map<ObjectKey, ObjectNode> objects, long revision) {}

    Loaded load(Map<ObjectKey, ObjectNode> into) throws IOException {
        // The journal and snapshot hold every Secret: the owner's alone (an older store's too).
        SecureFiles.createPrivateDirectory(dir);
        for (Path f : List.of(journalFile, snapshotFile)) {
            if (Files.exists(f)) Files.setPosixFilePermissions(f, SecureFiles.OWNER_ONLY);
        }
        long revision = 0;
        if (Files.exists(snapshotFile)) {
            JsonNode snap = Json.MAPPER.readTree(snapshotFile.toFile());
            revision = snap.get("revision").asLong();
            for (JsonNode o : snap.get("objects")) {
                ObjectNode obj = (ObjectNode) o;
                into.put(ObjectKey.of(obj), obj);
            }
        }
        long goodBytes = 0;
        if (Files.exists(journalFile)) {
            byte[] all = Files.readAllBytes(journalFile);
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] != '\n') continue;
                String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                Long rev = replayLine(line, revision, into);
                if (rev == null) break;
                revision = Math.max(revision, rev);
                linesSinceSnapshot++;
                start = i + 1;
                goodBytes = start;
            }
            if (goodBytes < all.length) {
                log.warn("journal: dropping {} bytes of an unfinished last transaction (a crash while writing it)",
                        all.length - goodBytes);
            }
        }
        if (!Files.exists(journalFile)) Files.createFile(journalFile, PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_ONLY));
        journal = new RandomAccessFile(journalFile.toFile(), "rw");
        journal.setLength(goodBytes);
        journal.seek(goodBytes);
        return new Loaded(into, revision);
    }

    /** Applies one journal line; null when the line is damaged (stop replaying there). */
    private static Long replayLine(String line, long snapshotRevision, Map<ObjectKey, ObjectNode> into) {
        int tab = line.indexOf('\t');
        if (tab < 0) return null;
        String body = line.substring(tab + 1);
        if (!Long.toHexString(crc(body)).equals(line.substring(0, tab))) return null;
        ObjectNode tx;
        try {
            tx = Json.parse(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
        long rev = tx.get("revision").asLong();
        if (rev <= snapshotRevision) return rev; // already inside the snapshot
        for (JsonNode c : tx.get("changes")) {
            if (c.has("put")) {
                ObjectNode obj = (ObjectNode) c.get("put");
                into.put(ObjectKey.of(obj), obj);
            } else {
                JsonNode d = c.get("delete");
                Kind kind = Kind.valueOf(d.get("kind").asText());
                into.remove(new ObjectKey(kind, d.hasNonNull("namespace") ? d.get("namespace").asText() : null,
                        d.get("name").asText()));
            }
        }
        return rev;
    }

    /**
     * Appends one transaction. With {@code durable} the call returns only once the line is
     * on disk; observed state (pod status, events) skips the sync, since the agents report
     * it again, and is made durable by the next synced write.
     */
    void append(long revision, List<Change> changes, boolean durable) {
        ObjectNode tx = Json.object();
        tx.put("revision", revision);
        ArrayNode arr = tx.putArray("changes");
        for (Change c : changes) {
            if (c instanceof Change.Put p) {
                arr.addObject().set("put", p.object());
            } else {
                ObjectKey k = c.key();
                ObjectNode d = arr.addObject().putObject("delete");
                d.put("kind", k.kind().name());
                if (k.namespace() != null) d.put("namespace", k.namespace());
                d.put("name", k.name());
            }
        }
        String body = Json.write(tx);
        String line = Long.toHexString(crc(body)) + "\t" + body + "\n";
        try {
            journal.write(line.getBytes(StandardCharsets.UTF_8));
            if (durable) journal.getFD().sync();
            linesSinceSnapshot++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the store journal in " + dir, e);
        }
    }

    boolean wantsCompaction() { return linesSinceSnapshot >= COMPACT_AFTER_LINES; }

    /** Writes every object as the new snapshot and starts an empty journal. */
    void compact(long revision, Iterable<ObjectNode> objects) {
        try {
            ObjectNode snap = Json.object();
            snap.put("revision", revision);
            ArrayNode arr = snap.putArray("objects");
            objects.forEach(arr::add);
            Path tmp = dir.resolve("snapshot.json.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_ONLY));
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(Json.MAPPER.writeValueAsBytes(snap));
                out.getFD().sync();
            }
            try {
                Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, snapshotFile, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
            journal.setLength(0);
            journal.seek(0);
            journal.getFD().sync();
            linesSinceSnapshot = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the store snapshot in " + dir, e);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open a directory; the rename is still atomic there.
        }
    }

    private static long crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    @Override
    public void close() throws IOException {
        if (journal != null) journal.close();
    }
}
