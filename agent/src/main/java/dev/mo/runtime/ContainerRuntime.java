package dev.mo.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the node agent needs from a container engine, and nothing more. Containers are found
 * again by their labels, so the engine itself is the agent's memory: an agent that restarts
 * rebuilds its view from {@link #list}.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** CPUs, memory, version and platform of the engine, for the Node object. */
    EngineInfo engineInfo();

    /** True when the image is already in the engine's local store. */
    boolean imagePresent(String image);

    /** Pulls an image from its registry; throws {@link RuntimeOperationException} with the engine's reason. */
    void pullImage(String image);

    /** The images in the engine's local store (for the Node's {@code status.images}). */
    List<ImageInfo> images();

    /** The ID of a local image, or empty when the engine does not have it. */
    Optional<String> imageId(String image);

    /** Writes one image with its tag as a {@code docker save} archive (tar) to {@code out}. */
    void saveImage(String image, OutputStream out) throws IOException;

    /** Loads a {@code docker save} archive into the engine's store, as {@code docker load}. */
    void loadImage(java.nio.file.Path archive);

    /**
     * Creates and starts a container. Returns its id. When the container was created but did not
     * start (bad command, ...) throws {@link RuntimeOperationException} carrying the id: the
     * container stays, stopped, so its exit code and error can be observed like any other.
     */
    String createAndStart(ContainerSpec spec);

    /** Asks the container to stop (SIGTERM), killing it after {@code graceSeconds}. No-op when gone or stopped. */
    void stop(String containerId, int graceSeconds);

    /** Removes a container, killing it if still running. No-op when already gone. */
    void remove(String containerId);

    /**
     * Runs {@code command} inside a running container (like {@code docker exec}) and waits up to
     * {@code timeout} for it to finish. Throws {@link RuntimeOperationException} when the container
     * does not exist or is not running.
     */
    ExecResult exec(String containerId, List<String> command, java.time.Duration timeout);

    /** Every container (running or not) carrying all the given labels, fully inspected. */
    List<ContainerInfo> list(Map<String, String> labels);

    /** One container, or empty when it does not exist. */
    Optional<ContainerInfo> inspect(String containerId);

    /**
     * Copies a container's output (stdout and stderr) to {@code out}. Blocks until the log ends:
     * at once when not following, when the container stops or writing fails when following.
     */
    void logs(String containerId, LogOptions options, OutputStream out) throws IOException;

    /**
     * Calls {@code listener} with the container id whenever a container carrying {@code labels}
     * dies or is destroyed. Close the result to stop listening. Optional: the agent also resyncs.
     */
    AutoCloseable watchContainerExits(Map<String, String> labels, java.util.function.Consumer<String> listener);

    /**
     * One usage sample of a running container (cumulative CPU time, working-set memory), read
     * once, not streamed. Empty when the container does not exist or is not running.
     */
    Optional<ContainerStats> stats(String containerId);

    @Override
    void close();

    /** How much log to read: the last {@code tailLines} (negative = all), then follow or not. */
    record LogOptions(int tailLines, boolean follow) {
        public static LogOptions all() { return new LogOptions(-1, false); }
    }
}
