package dev.mo.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The seed's five scenarios, run by the very script a user runs
 * ({@code examples/feastflow/scenarios.sh}) against a running FeastFlow, and the script's own
 * evidence checked: it exits 0 only when every promise held, and every load phase it ran
 * counted its requests with none failed (crash, manual scale, autoscale, v2, undo, config change).
 */
final class FeastFlowScenarios {
    static final Path SCRIPT = Path.of(System.getProperty("mo.examples", ".")).toAbsolutePath()
            .resolve("feastflow/scenarios.sh");
    static final int LOAD_PHASES = 6;

    private FeastFlowScenarios() {}

    /**
     * Runs the scenarios against {@code mo}'s server, with the load sent to {@code ingress}
     * (the log goes to {@code work/scenarios.log} and is echoed), and checks what it printed.
     * {@code env} adds settings of the script, such as {@code DOCKER_AT} on a fleet.
     */
    static String runAndCheck(MoProcess mo, String ingress, Path work, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = work.resolve("scenarios.log");
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MO_SERVER", mo.url());
        pb.environment().put("MO_STATE_DIR", mo.stateDir.toString());
        pb.environment().put("INGRESS", ingress);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(25, TimeUnit.MINUTES);
        if (!finished) p.destroyForcibly().waitFor();
        String out = Files.readString(log);
        System.out.println(out);
        if (!finished) fail("scenarios.sh did not finish in 25 minutes:\n" + out);
        assertEquals(0, p.exitValue(), "scenarios.sh failed:\n" + out);
        assertTrue(out.contains("All five scenarios behaved as promised"), out);

        Matcher load = Pattern.compile("load: (\\d+) requests, (\\d+) failed").matcher(out);
        int phases = 0;
        while (load.find()) {
            phases++;
            assertTrue(Integer.parseInt(load.group(1)) > 0, load.group());
            assertEquals("0", load.group(2), load.group());
        }
        assertEquals(LOAD_PHASES, phases, out);
        assertTrue(out.contains("every answer comes from v2"), out);
        assertTrue(out.contains("is still there"), out);
        return out;
    }
}
