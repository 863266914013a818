package dev.mo.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code docker} command, for tests that check or disturb what {@code mo} runs. */
final class Docker {
    private Docker() {}

    static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(Arrays.asList(args));
        return Commands.run(cmd, 60);
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
        buildWith("hello/build-image.sh");
    }

    /** Runs an example's image build script (a path under examples/), as a user would. */
    static void buildWith(String script) throws IOException, InterruptedException {
        Path path = Path.of(System.getProperty("mo.examples", ".")).resolve(script);
        Commands.run(List.of("bash", path.toString()), 1200);
    }
}
