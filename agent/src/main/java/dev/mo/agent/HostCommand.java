package dev.mo.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of the host's own tools ({@code ip}, {@code iptables}) that the agent runs to set up
 * its node: at most 10 s, its output kept for the log. A tool that is missing or hangs is a
 * failed run, never an exception: the caller decides what that means.
 */
public final class HostCommand {
    /** Exit code 127, as a shell says "not found", when the command could not be started at all. */
    public record Result(int exit, String output) {
        public boolean ok() { return exit == 0; }
    }

    /** How the agent runs host commands; a test passes one that records them. */
    public interface Runner {
        Result run(List<String> command, String stdin);
    }

    /** Runs commands on this host for real. */
    public static final Runner HOST = HostCommand::run;

    private HostCommand() {}

    /** Runs {@code command} with {@code stdin} (null: none). */
    public static Result run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "timed out after 10 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }
}
