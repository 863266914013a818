package dev.mo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unit files a VPS uses to bring {@code mo server} and {@code mo agent} back after a reboot
 * ({@code deploy/systemd/}) are read by systemd's own checker, {@code systemd-analyze verify}:
 * their syntax, their directives and the programs they start. This machine has no systemd
 * running, so starting them is not tested; reading them is.
 */
class SystemdUnitsTest {
    static final Path UNITS = Path.of("..", "deploy", "systemd").toAbsolutePath().normalize();

    @Test
    void theUnitFilesPassSystemdsOwnCheck(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String unit : List.of("mo-server.service", "mo-agent.service")) {
            Path copy = dir.resolve(unit); // verify also looks for the unit in its directory
            Files.copy(UNITS.resolve(unit), copy);
            command.add(copy.toString());
        }
        Result r = run(command);
        assertEquals(0, r.exit, r.output);
        assertEquals("", r.output, "systemd-analyze's complaints");
    }

    @Test
    void theCheckCatchesAUnitThatStartsNothing(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("mo-agent.service");
        Files.writeString(broken, Files.readString(UNITS.resolve("mo-agent.service"))
                .replace("ExecStart=/usr/bin/java", "ExecStart=/usr/bin/no-such-java"));
        Result r = run(List.of("systemd-analyze", "verify", broken.toString()));
        assertTrue(r.exit != 0 && r.output.contains("no-such-java"), r.output);
    }

    record Result(int exit, String output) {}

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze finished");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    }
}
