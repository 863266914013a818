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
    public static final String VERSION = dev.mo.api.VersionInfo.VERSION;

    /** The verbs, in the order `mo --help` lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ServerCommand.class, AgentCommand.class, CreateCommand.class, ApplyCommand.class,
            GetCommand.class, DescribeCommand.class, DeleteCommand.class, PatchCommand.class, LabelCommand.class,
            AnnotateCommand.class, LogsCommand.class,
            ScaleCommand.class, SetCommand.class, RolloutCommand.class, AutoscaleCommand.class, TopCommand.class,
            NodeCommands.Cordon.class, NodeCommands.Uncordon.class, NodeCommands.Drain.class, WaitCommand.class,
            InstallServiceCommand.class, VersionCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

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
        cmd.setParameterExceptionHandler((ex, args1) -> usageError(ex));
        return cmd.execute(args);
    }

    /**
     * A command line mo cannot read, in kubectl's words and with its exit code 1: an unknown verb
     * with the verbs it may have meant, an unknown flag by its name and where to ask for help,
     * anything else as picocli says it.
     */
    static int usageError(CommandLine.ParameterException ex) {
        CommandLine where = ex.getCommandLine();
        PrintWriter err = where.getErr();
        List<String> unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched() : List.of();
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        if (where.getParent() == null && !first.isEmpty() && !first.startsWith("-")) {
            err.println("Error: unknown command \"" + first + "\" for \"mo\"");
            List<String> near = suggestions(first, where.getSubcommands().keySet());
            if (!near.isEmpty()) {
                err.println();
                err.println("Did you mean this?");
                near.forEach(verb -> err.println("\t" + verb));
                err.println();
            }
        } else {
            // kubectl says "Error:" for what its command-line parser refuses, "error:" for the rest.
            String message = "error: " + ex.getMessage();
            if (first.startsWith("--")) message = "Error: unknown flag: " + first.split("=", 2)[0];
            else if (first.startsWith("-") && first.length() > 1) message = "Error: unknown shorthand flag: '" + first.charAt(1) + "' in " + first;
            err.println(message);
            err.println("See '" + where.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return 1;
    }

    /**
     * The verbs a mistyped one may have meant, as kubectl (cobra) finds them: at most two edits
     * away, or starting with what was typed, ignoring case ("gett": get and set; "roll": rollout).
     */
    static List<String> suggestions(String typed, java.util.Collection<String> verbs) {
        String t = typed.toLowerCase(java.util.Locale.ROOT);
        return verbs.stream().filter(v -> !v.equals("help"))
                .filter(v -> editDistance(t, v.toLowerCase(java.util.Locale.ROOT)) <= 2 || v.toLowerCase(java.util.Locale.ROOT).startsWith(t))
                .toList();
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions or substitutions from a to b. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1], current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous; previous = current; current = swap;
        }
        return previous[b.length()];
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
    static void withHelpOptions(CommandLine cmd) {
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
            if (e.status() == 404 || e.status() == 403 || e.status() == 401 || "AlreadyExists".equals(e.reason())) {
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
