package dev.mo.cli;

import dev.mo.agent.NodeJoin;
import dev.mo.api.MoClient;
import dev.mo.controlplane.ApiError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** The root command: {@code mo <verb>}. */
@Command(name = "mo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Kubernetes-style orchestration on plain Docker.")
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";

    /** The verbs, in the order `mo --help` lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ServerCommand.class, AgentCommand.class, ApplyCommand.class,
            GetCommand.class, DescribeCommand.class, DeleteCommand.class, PatchCommand.class, LogsCommand.class,
            ScaleCommand.class, SetCommand.class, RolloutCommand.class, AutoscaleCommand.class, TopCommand.class,
            NodeCommands.Cordon.class, NodeCommands.Uncordon.class, NodeCommands.Drain.class,
            InstallServiceCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        useSlf4jForUndertow();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Undertow and XNIO log through JBoss Logging, which would pick java.util.logging: one log
     * format for every line instead of two, and a trace check that costs nothing on the proxy's
     * hot path (XNIO asks for each event it dispatches).
     */
    static void useSlf4jForUndertow() {
        if (System.getProperty("org.jboss.logging.provider") == null) System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    /** Runs one command line with the given writers; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Main());
        for (Class<?> sub : subcommandsFor(args)) cmd.addSubcommand(sub);
        withHelpOptions(cmd);
        // install-service passes mo server's or mo agent's flags through; it checks them itself.
        CommandLine install = cmd.getSubcommands().get("install-service");
        if (install != null) install.setUnmatchedOptionsArePositionalParams(true);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(oneLine(ex));
            commandLine.getErr().flush();
            return 1;
        });
        cmd.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return 2;
        });
        return cmd.execute(args);
    }

    /**
     * Only the verb on the command line, when it names one: picocli builds a model of every
     * registered command from its annotations before parsing, and for all of mo's verbs that is
     * a third of a short command's run time. {@code mo}, {@code mo --help}, {@code mo help ...}
     * and an unknown verb get them all (for the list, or the error that names the choices).
     */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length == 0) return SUBCOMMANDS;
        for (Class<?> sub : SUBCOMMANDS) {
            Command c = sub.getAnnotation(Command.class);
            if (c.name().equals("help")) continue;
            if (c.name().equals(args[0]) || List.of(c.aliases()).contains(args[0])) return List.of(sub);
        }
        return SUBCOMMANDS;
    }

    /** {@code -h/--help} on every command, as kubectl has, without repeating it on each class. */
    private static void withHelpOptions(CommandLine cmd) {
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) sub.getCommandSpec().mixinStandardHelpOptions(true);
            withHelpOptions(sub);
        }
    }

    /** Every failure reaches the user as one clear line (or one line per problem). */
    static String oneLine(Exception ex) {
        if (ex instanceof MoClient.Unreachable u) {
            return "error: " + u.getMessage() + "; start one with `mo server`, or point --server/MO_SERVER at it";
        }
        if (ex instanceof ApiError e) {
            if (e.status() == 404 || e.status() == 403 || e.status() == 401) {
                return "Error from server (" + e.reason() + "): " + String.join("\nError from server (" + e.reason() + "): ", e.messages());
            }
            return "error: " + String.join("\nerror: ", e.messages());
        }
        if (ex instanceof MoClient.TlsFailure t) {
            return "error: " + t.getMessage() + " (the client trusts the CA in STATE_DIR/pki/ca.crt: copy it from the server's host)";
        }
        if (ex instanceof NodeJoin.Failed f) return "error: " + f.getMessage();
        if (ex instanceof CliError c) return "error: " + c.getMessage();
        return "error: " + ex;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() { return new String[] {"mo " + VERSION}; }
    }
}
