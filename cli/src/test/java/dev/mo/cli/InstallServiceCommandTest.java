package dev.mo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mo install-service}: the unit it writes passes systemd's own check, and bad flags write nothing. */
class InstallServiceCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int mo(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void anAgentUnitRunsTheAgentWithTheFlagsGivenAndAbsolutePaths() throws Exception {
        Path units = dir.resolve("units");
        int code = mo("install-service", "agent", "--unit-dir", units.toString(), "--jar", "/usr/local/lib/mo/mo.jar",
                "--server", "https://10.0.0.1:7070", "--join-token-file", "join-token", "--data-dir=agent-data",
                "--address", "10.0.0.2", "--node-name", "web 2");
        assertEquals(0, code, err.toString());
        Path unit = units.resolve("mo-agent.service");
        assertEquals("wrote " + unit + "\nstart it now and at every boot: systemctl daemon-reload && systemctl enable --now mo-agent\n",
                out.toString());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)));
        String text = Files.readString(unit);
        String cwd = Path.of("").toAbsolutePath().toString();
        String execStart = text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertTrue(execStart.endsWith(" -XX:ReservedCodeCacheSize=32m -jar /usr/local/lib/mo/mo.jar agent"
                + " --server https://10.0.0.1:7070 --join-token-file " + cwd + "/join-token --data-dir=" + cwd + "/agent-data"
                + " --address 10.0.0.2 --node-name \"web 2\""), execStart);
        assertTrue(execStart.startsWith("ExecStart=/"), "an absolute java: " + execStart);

        SystemdUnitsTest.Result verified = SystemdUnitsTest.run(List.of("systemd-analyze", "verify", unit.toString()));
        assertEquals(0, verified.exit(), verified.output());
        assertEquals("", verified.output());
    }

    @Test
    void printShowsTheServerUnitAndWritesNothing() {
        assertEquals(0, mo("install-service", "server", "--print", "--unit-dir", dir.toString(), "--jar", "/opt/mo.jar",
                "--bind", "10.0.0.1", "--address", "10.0.0.1", "--state-dir", "/var/lib/mo"), err.toString());
        assertTrue(out.toString().contains("-jar /opt/mo.jar server --bind 10.0.0.1 --address 10.0.0.1 --state-dir /var/lib/mo\n"),
                out.toString());
        assertTrue(out.toString().contains("Description=mo server (control plane and node agent)\n"), out.toString());
        assertFalse(Files.exists(dir.resolve("mo-server.service")));
    }

    @Test
    void flagsThatWouldFailOrLeakWriteNothing() {
        String units = dir.toString();
        assertEquals(1, mo("install-service", "agent", "--unit-dir", units, "--jar", "/opt/mo.jar",
                "--server", "https://10.0.0.1:7070", "--join-token", "K10abc::secret"));
        assertTrue(err.toString().contains("give the join token as --join-token-file FILE"), err.toString());
        assertFalse(err.toString().contains("secret"), "the token is not echoed");

        assertEquals(1, mo("install-service", "agent", "--unit-dir", units, "--jar", "/opt/mo.jar",
                "--server", "https://10.0.0.1:7070", "--adress", "10.0.0.2"));
        assertTrue(err.toString().contains("mo agent: Unknown options: '--adress', '10.0.0.2'"), err.toString());

        assertEquals(1, mo("install-service", "agent", "--unit-dir", units, "--jar", "/opt/mo.jar", "--address", "10.0.0.2"));
        assertTrue(err.toString().contains("--server"), "the agent needs its server: " + err);

        assertEquals(1, mo("install-service", "kubelet", "--unit-dir", units, "--jar", "/opt/mo.jar"));
        assertTrue(err.toString().contains("install-service runs 'server' or 'agent', not 'kubelet'"), err.toString());

        assertEquals(0, dir.toFile().list().length, "nothing written");
    }

    @Test
    void wordsSystemdWouldSplitOrExpandAreQuotedAndEscaped() {
        assertEquals("--address", InstallServiceCommand.systemdWord("--address"));
        assertEquals("\"web 2\"", InstallServiceCommand.systemdWord("web 2"));
        assertEquals("\"/data/100%%/$$HOME\"", InstallServiceCommand.systemdWord("/data/100%/$HOME"));
        assertEquals("\"say \\\"hi\\\"\"", InstallServiceCommand.systemdWord("say \"hi\""));
    }
}
