package dev.mo.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * What the engine knows about one container.
 *
 * @param id            engine id
 * @param name          name without Docker's leading slash
 * @param image         image reference it was created from
 * @param imageId       image digest id, e.g. {@code sha256:...}
 * @param labels        its labels
 * @param state         created, running or exited
 * @param exitCode      exit code once exited (0 while running)
 * @param oomKilled     killed by the kernel for exceeding its memory limit
 * @param error         engine error, e.g. why it could not start; empty when none
 * @param createdAt     creation time
 * @param startedAt     last start, or null when it never started
 * @param finishedAt    last exit, or null when it never exited
 * @param ipAddress     IP on its network, or empty
 * @param publishedPorts {@code "8080/TCP" -> "127.0.0.1:32768"}
 */
public record ContainerInfo(String id, String name, String image, String imageId, Map<String, String> labels,
                            State state, int exitCode, boolean oomKilled, String error,
                            Instant createdAt, Instant startedAt, Instant finishedAt,
                            String ipAddress, Map<String, String> publishedPorts) {

    public enum State { CREATED, RUNNING, EXITED }

    public boolean running() { return state == State.RUNNING; }

    public String label(String key) { return labels.get(key); }
}
