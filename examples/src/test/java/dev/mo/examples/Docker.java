package dev.mo.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code docker} command, for tests that check or disturb what {@code mo} runs. */
final class Docker {
    private Docker() {}

    static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** IDs of the running containers with this label (key=value), sorted. */
    static List<String> runningWithLabel(String label) throws IOException, InterruptedException {
        String out = run("ps", "-q", "--no-trunc", "--filter", "label=" + label);
        return Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
    }

    /** Every container (running or not) with this label. */
    static List<String> allWithLabel(String label) throws IOException, InterruptedException {
        String out = run("ps", "-aq", "--no-trunc", "--filter", "label=" + label);
        return Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
    }

    static void removeAllWithLabel(String label) throws IOException, InterruptedException {
        for (String id : allWithLabel(label)) run("rm", "-f", id);
    }

    /** Builds the example images (mo-example/hello:v1 and :v2) from the repository's script. */
    static void buildHelloImages() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("mo.examples", ".")).resolve("hello/build-image.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("building the hello images failed: " + out);
    }
}
