package dev.mo.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StoreTest {
    @TempDir
    Path dir;

    static ObjectNode configMap(String name, String value) {
        ObjectNode o = Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\"},\"data\":{\"k\":\"" + value + "\"}}");
        return o;
    }

    @Test
    void endingWaitsAnswersAWaitingLongPollAtOnce() throws Exception {
        try (Store s = Store.inMemory()) {
            long since = s.revision();
            java.util.concurrent.CompletableFuture<Boolean> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return s.awaitChange(since, java.time.Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            s.endWaits();
            assertEquals(false, waiting.get(5, java.util.concurrent.TimeUnit.SECONDS), "no change: false, and now, not in 30 s");
            assertEquals(false, s.awaitChange(since, java.time.Duration.ofSeconds(30)), "later waits end at once too");
            s.commit(List.of(Change.put(configMap("a", "1"))), false);
            assertEquals(true, s.awaitChange(since, java.time.Duration.ofSeconds(30)), "a change is still reported");
        }
    }

    @Test
    void committedObjectsSurviveReopen() {
        try (Store s = Store.open(dir)) {
            s.commit(List.of(Change.put(configMap("a", "1")), Change.put(configMap("b", "2"))), true);
            s.commit(List.of(Change.delete(new ObjectKey(Kind.CONFIG_MAP, "default", "a"))), true);
        }
        try (Store s = Store.open(dir)) {
            assertTrue(s.get(Kind.CONFIG_MAP, "default", "a").isEmpty());
            assertEquals("2", Json.text(s.get(Kind.CONFIG_MAP, "default", "b").orElseThrow(), "data.k"));
            assertEquals(2, s.revision());
            assertEquals("1", Json.text(s.get(Kind.CONFIG_MAP, "default", "b").orElseThrow(), "metadata.resourceVersion"));
        }
    }

    @Test
    void aTransactionCutShortByACrashIsDroppedAndTheRestIsKept() throws Exception {
        try (Store s = Store.open(dir)) {
            s.commit(List.of(Change.put(configMap("a", "1"))), true);
        }
        // What a kill -9 in the middle of a write leaves: half a line.
        Files.writeString(dir.resolve("journal.log"), "1234abcd\t{\"revision\":2,\"chan",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (Store s = Store.open(dir)) {
            assertEquals(1, s.revision());
            assertTrue(s.get(Kind.CONFIG_MAP, "default", "a").isPresent());
            s.commit(List.of(Change.put(configMap("c", "3"))), true);
        }
        try (Store s = Store.open(dir)) {
            assertEquals(2, s.revision());
            assertTrue(s.get(Kind.CONFIG_MAP, "default", "c").isPresent());
        }
    }

    @Test
    void aLineWithABadChecksumStopsReplay() throws Exception {
        try (Store s = Store.open(dir)) {
            s.commit(List.of(Change.put(configMap("a", "1"))), true);
            s.commit(List.of(Change.put(configMap("b", "2"))), true);
        }
        Path journal = dir.resolve("journal.log");
        String text = Files.readString(journal);
        Files.writeString(journal, text.replace("\"2\"", "\"X\""));
        try (Store s = Store.open(dir)) {
            assertTrue(s.get(Kind.CONFIG_MAP, "default", "a").isPresent());
            assertTrue(s.get(Kind.CONFIG_MAP, "default", "b").isEmpty());
        }
    }

    @Test
    void theStoreOnDiskIsTheOwnersAloneAnOlderOnesToo() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("journal.log"), ""); // as an older mo left it: 0644 in a 0755 directory
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(store.resolve("journal.log"), PosixFilePermissions.fromString("rw-r--r--"));
        try (Store s = Store.open(store)) {
            for (int i = 0; i < Journal.COMPACT_AFTER_LINES + 1; i++) {
                s.commit(List.of(Change.put(configMap("cm" + (i % 5), Integer.toString(i)))), false);
            }
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve("journal.log"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve("snapshot.json"))));
    }

    @Test
    void compactionKeepsEverything() {
        try (Store s = Store.open(dir)) {
            for (int i = 0; i < Journal.COMPACT_AFTER_LINES + 10; i++) {
                s.commit(List.of(Change.put(configMap("cm" + (i % 50), Integer.toString(i)))), false);
            }
        }
        assertTrue(Files.exists(dir.resolve("snapshot.json")));
        try (Store s = Store.open(dir)) {
            assertEquals(Journal.COMPACT_AFTER_LINES + 10, s.revision());
            assertEquals(50, s.list(Kind.CONFIG_MAP, "default").size());
            int last = Journal.COMPACT_AFTER_LINES + 9;
            assertEquals(Integer.toString(last),
                    Json.text(s.get(Kind.CONFIG_MAP, "default", "cm" + (last % 50)).orElseThrow(), "data.k"));
        }
    }

    @Test
    void aStaleResourceVersionIsAConflictAndChangesNothing() {
        Store s = Store.inMemory();
        s.commit(List.of(Change.put(configMap("a", "1"))), true);
        ObjectNode copy = s.get(Kind.CONFIG_MAP, "default", "a").orElseThrow();
        s.commit(List.of(Change.put(configMap("a", "2"))), true);
        copy.with("data").put("k", "3");
        assertThrows(ConflictException.class, () -> s.commit(List.of(Change.put(copy)), true));
        assertEquals("2", Json.text(s.get(Kind.CONFIG_MAP, "default", "a").orElseThrow(), "data.k"));
    }

    @Test
    void listIsScopedToItsNamespace() {
        Store s = Store.inMemory();
        ObjectNode other = configMap("x", "1");
        other.with("metadata").put("namespace", "defaultx");
        s.commit(List.of(Change.put(configMap("a", "1")), Change.put(other)), true);
        assertEquals(1, s.list(Kind.CONFIG_MAP, "default").size());
        assertEquals(2, s.list(Kind.CONFIG_MAP, null).size());
    }
}
