package dev.mo.runtime;

/**
 * What a command run inside a container ({@link ContainerRuntime#exec}) came to.
 *
 * @param exitCode its exit code; meaningless when {@code timedOut}
 * @param output   stdout and stderr as they came, cut to {@link #MAX_OUTPUT} characters
 * @param timedOut it did not finish within the timeout (it may still run inside the container)
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {
    /** The kubelet keeps at most 10 KiB of a probe's output. */
    public static final int MAX_OUTPUT = 10 * 1024;

    public ExecResult {
        output = output == null ? "" : output.length() > MAX_OUTPUT ? output.substring(0, MAX_OUTPUT) : output;
    }

    public static ExecResult exited(int exitCode, String output) { return new ExecResult(exitCode, output, false); }

    public static ExecResult timeout() { return new ExecResult(-1, "", true); }
}
