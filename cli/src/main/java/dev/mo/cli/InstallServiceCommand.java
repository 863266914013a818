package dev.mo.cli;

import dev.mo.security.SecureFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code mo install-service server|agent FLAGS...}: writes a systemd unit that runs
 * {@code mo server} or {@code mo agent} with those flags, so a VPS brings its node back after a
 * reboot. The flags are checked as the command itself would check them, paths are made
 * absolute (a service starts in /), and nothing secret goes into the file, which every user of
 * the host may read: a join token is taken only as {@code --join-token-file}. It writes the
 * file and says how to start it; {@code systemctl} stays the user's to run.
 */
@Command(name = "install-service", description = "Write a systemd unit that runs mo server or mo agent with the given flags.",
        footer = {"", "Example, on a host joining the fleet:",
                "  mo install-service agent --server https://10.0.0.1:7070 \\",
                "      --join-token-file /etc/mo/join-token --address 10.0.0.2",
                "  systemctl daemon-reload && systemctl enable --now mo-agent"})
public final class InstallServiceCommand implements Callable<Integer> {
    /** The JVM options of a long-running mo process, as {@code bin/mo} gives them: a small heap that gives memory back. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms16m", "-Xmx512m",
            "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20", "-XX:ReservedCodeCacheSize=32m");
    /** Flags whose value is a path: made absolute, since a service's working directory is /. */
    static final Set<String> PATH_FLAGS = Set.of("--state-dir", "--data-dir", "--join-token-file");

    @Parameters(index = "0", paramLabel = "server|agent", description = "What the service runs")
    String role;

    @Parameters(index = "1..*", paramLabel = "FLAG", description = "The flags of mo server or mo agent, as you would type them")
    List<String> flags = new ArrayList<>();

    @Option(names = "--unit-dir", paramLabel = "DIR", description = "Where to write mo-ROLE.service (default /etc/systemd/system)")
    Path unitDir = Path.of("/etc/systemd/system");

    @Option(names = "--print", description = "Print the unit instead of writing it")
    boolean print;

    @Option(names = "--jar", paramLabel = "FILE", description = "The mo.jar the service runs (default: the one running this command)")
    Path jar;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String unitName = "mo-" + role;
        String unit = unit(role, absolutePaths(checkedFlags()), javaBinary(),
                jar != null ? jar.toAbsolutePath().normalize().toString() : runningJar());
        if (print) {
            spec.commandLine().getOut().print(unit);
            spec.commandLine().getOut().flush();
            return 0;
        }
        Path file = unitDir.resolve(unitName + ".service");
        Files.createDirectories(unitDir);
        SecureFiles.writePublic(file, unit); // whole or not at all; systemd reads it, and nothing in it is secret
        spec.commandLine().getOut().println("wrote " + file);
        spec.commandLine().getOut().println("start it now and at every boot: systemctl daemon-reload && systemctl enable --now " + unitName);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The flags, parsed as {@code mo ROLE} parses them; refused when a service could not use them. */
    private List<String> checkedFlags() {
        Object command = switch (role) {
            case "server" -> new ServerCommand();
            case "agent" -> new AgentCommand();
            default -> throw new CliError("install-service runs 'server' or 'agent', not '" + role + "'");
        };
        CommandLine.ParseResult parsed;
        try {
            parsed = new CommandLine(command).parseArgs(flags.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new CliError("mo " + role + ": " + e.getMessage());
        }
        if (parsed.hasMatchedOption("--join-token")) {
            throw new CliError("a unit file is readable by every user of the host: give the join token as --join-token-file FILE (mode 0600)");
        }
        if (role.equals("agent") && !parsed.hasMatchedOption("--server")) {
            throw new CliError("give --server: the service does not see this shell's MO_SERVER");
        }
        return flags;
    }

    /** {@code --state-dir x} and {@code --state-dir=x} (and the other path flags) with x made absolute. */
    static List<String> absolutePaths(List<String> flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            int eq = flag.indexOf('=');
            if (eq > 0 && PATH_FLAGS.contains(flag.substring(0, eq))) {
                out.add(flag.substring(0, eq + 1) + absolute(flag.substring(eq + 1)));
            } else if (PATH_FLAGS.contains(flag) && i + 1 < flags.size()) {
                out.add(flag);
                out.add(absolute(flags.get(++i)));
            } else {
                out.add(flag);
            }
        }
        return out;
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** The unit file's text. */
    static String unit(String role, List<String> flags, String java, String jar) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", jar, role));
        command.addAll(flags);
        List<String> words = command.stream().map(InstallServiceCommand::systemdWord).toList();
        String description = role.equals("server") ? "mo server (control plane and node agent)" : "mo agent (node agent)";
        return """
                # Written by mo install-service %s. Start it: systemctl daemon-reload && systemctl enable --now mo-%s
                [Unit]
                Description=%s
                After=network-online.target docker.service
                Wants=network-online.target
                Requires=docker.service

                [Service]
                ExecStart=%s
                # A stop leaves the containers running; the next start adopts them.
                KillSignal=SIGTERM
                TimeoutStopSec=20
                Restart=always
                RestartSec=2
                UMask=0077

                [Install]
                WantedBy=multi-user.target
                """.formatted(role, role, description, String.join(" ", words));
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@+=:,./-]+");

    /**
     * One word of an ExecStart line: systemd expands {@code %} specifiers and {@code $}
     * variables and splits on white space, so those are escaped and such a word is quoted.
     */
    static String systemdWord(String word) {
        if (PLAIN.matcher(word).matches()) return word;
        String escaped = word.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$");
        return "\"" + escaped + "\"";
    }

    /**
     * The java that runs this command: the service runs the same one, by the system's stable
     * name when that is where it leads (the real path changes with each JDK update).
     */
    private static String javaBinary() {
        String running = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path system = Path.of("/usr/bin/java");
        try {
            if (Files.exists(system) && Files.isSameFile(system, Path.of(running))) return system.toString();
        } catch (IOException e) {
            // not comparable: the running path is right anyway
        }
        return running;
    }

    /** The jar this command runs from. */
    private static String runningJar() {
        try {
            Path location = Path.of(InstallServiceCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!location.toString().endsWith(".jar")) {
                throw new CliError("not running from mo.jar (but " + location + "): give --jar FILE");
            }
            return location.toAbsolutePath().toString();
        } catch (URISyntaxException e) {
            throw new CliError("cannot tell where mo.jar is: " + e.getMessage());
        }
    }
}
