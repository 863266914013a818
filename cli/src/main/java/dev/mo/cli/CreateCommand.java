package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.cli.output.ResourcePrinter;
import dev.mo.controlplane.ApiError;
import dev.mo.manifest.KeyRules;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code mo create namespace|configmap|secret generic NAME}: kubectl's imperative creates. The
 * object is built here and sent through the apply endpoint, after a read that refuses an
 * existing object as kubectl's create does (AlreadyExists).
 */
@Command(name = "create", description = "Create a namespace, config map or secret.",
        subcommands = {CreateCommand.Namespace.class, CreateCommand.ConfigMap.class, CreateCommand.Secret.class})
public final class CreateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliError("must specify one of -f and -k (mo create supports only: namespace, configmap, secret generic)");
    }

    /** --dry-run and -o, and the create itself, shared by the kinds. */
    static final class CreateOptions {
        @Mixin
        ClientOptions client;

        @Option(names = "--dry-run", arity = "0..1", fallbackValue = "client",
                description = "none (default), client (print only) or server (checked by the server, not stored)")
        String dryRun = "none";

        @Option(names = {"-o", "--output"}, description = "json, yaml or name")
        String output;

        /** Creates the object (or pretends to) and prints what kubectl prints. */
        int create(ObjectNode object, PrintWriter out) {
            if (!List.of("none", "client", "server").contains(dryRun)) {
                throw new CliError("Invalid dry-run value (" + dryRun + "). Must be \"none\", \"server\", or \"client\".");
            }
            if (output != null && !List.of("json", "yaml", "name").contains(output)) {
                throw new CliError("unable to match a printer suitable for the output format \"" + output
                        + "\", allowed formats are: json,name,yaml");
            }
            Kind kind = Kind.byKindName(Json.text(object, "kind")).orElseThrow();
            String name = Json.text(object, "metadata.name");
            ObjectNode shown = object;
            if (dryRun.equals("client")) {
                // kubectl prints the object it would send, with an unset creation time.
                shown = object.deepCopy();
                if (kind.namespaced() && client.namespace != null) Json.objectAt(shown, "metadata").put("namespace", client.namespace);
                Json.objectAt(shown, "metadata").putNull("creationTimestamp");
                if (kind == Kind.NAMESPACE) {
                    shown.putObject("spec");
                    shown.putObject("status");
                }
            } else {
                MoClient api = client.client();
                String ns = kind.namespaced() ? client.namespaceOrDefault() : null;
                if (kind.namespaced()) Json.objectAt(object, "metadata").put("namespace", ns);
                refuseExisting(api, kind, ns, name);
                api.apply(List.of(object), dryRun.equals("server"));
                if (dryRun.equals("none") && output != null && !output.equals("name")) shown = api.get(kind, ns, name);
            }
            if (output == null) {
                String suffix = switch (dryRun) { case "client" -> " (dry run)"; case "server" -> " (server dry run)"; default -> ""; };
                out.println(kind.qualifiedName(name) + " created" + suffix);
            } else if (output.equals("name")) {
                out.println(kind.qualifiedName(name));
            } else {
                out.print(output.equals("json") ? ResourcePrinter.toJson(shown) : ResourcePrinter.toYaml(shown));
            }
            out.flush();
            return 0;
        }

        /** Apply would update an existing object; create must not. */
        private static void refuseExisting(MoClient api, Kind kind, String ns, String name) {
            try {
                api.get(kind, ns, name);
            } catch (ApiError e) {
                if (e.status() == 404) return;
                throw e;
            }
            throw new ApiError(409, "AlreadyExists", List.of(kind.pluralWithGroup() + " \"" + name + "\" already exists"));
        }
    }

    /** kubectl's object skeleton: kind, apiVersion, metadata.name. */
    static ObjectNode skeleton(String kind, String name) {
        ObjectNode o = Json.object();
        o.put("kind", kind);
        o.put("apiVersion", "v1");
        o.putObject("metadata").put("name", name);
        return o;
    }

    static String oneName(List<String> names, String commandPath) {
        if (names.size() != 1) {
            throw new CliError("exactly one NAME is required, got " + names.size()
                    + "\nSee 'mo " + commandPath + " -h' for help and examples");
        }
        return names.get(0);
    }

    @Command(name = "namespace", aliases = "ns", description = "Create a namespace.")
    static final class Namespace implements Callable<Integer> {
        @Mixin
        CreateOptions options;

        @Parameters(paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return options.create(skeleton("Namespace", oneName(names, "create namespace")), spec.commandLine().getOut());
        }
    }

    /** --from-literal, --from-file and --from-env-file, read as kubectl reads them. */
    static final class DataSources {
        @Option(names = "--from-literal", paramLabel = "KEY=VALUE", description = "A key and its value; repeatable")
        List<String> literals = new ArrayList<>();

        @Option(names = "--from-file", paramLabel = "[KEY=]PATH",
                description = "A file (key: its name, or KEY) or every file of a directory; repeatable")
        List<String> files = new ArrayList<>();

        @Option(names = "--from-env-file", paramLabel = "PATH", description = "KEY=VALUE lines (# comments); repeatable")
        List<String> envFiles = new ArrayList<>();

        /** Every key and its bytes, in key order; {@code addKey} refuses a bad or repeated key. */
        Map<String, byte[]> read(KeyCheck addKey) {
            if (!envFiles.isEmpty() && (!files.isEmpty() || !literals.isEmpty())) {
                throw new CliError("from-env-file cannot be combined with from-file or from-literal");
            }
            Map<String, byte[]> data = new TreeMap<>();
            for (String source : files) {
                String[] keyAndPath = source.split("=", 2);
                String key = keyAndPath.length == 2 ? keyAndPath[0] : null;
                Path path = Path.of(keyAndPath[keyAndPath.length - 1]);
                if (Files.isDirectory(path)) {
                    if (key != null) throw new CliError("cannot give a key name for a directory path");
                    try (Stream<Path> entries = Files.list(path)) {
                        for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
                            addKey.add(data, file.getFileName().toString(), readFile(file));
                        }
                    } catch (IOException e) {
                        throw new CliError("error reading " + path + ": " + e.getMessage());
                    }
                } else {
                    addKey.add(data, key != null ? key : path.getFileName().toString(), readFile(path));
                }
            }
            for (String literal : literals) {
                String[] kv = literal.split("=", 2);
                if (kv.length != 2) throw new CliError("invalid literal source " + literal + ", expected key=value");
                addKey.add(data, kv[0], kv[1].getBytes(StandardCharsets.UTF_8));
            }
            for (String envFile : envFiles) {
                for (Map.Entry<String, String> e : readEnvFile(Path.of(envFile)).entrySet()) {
                    addKey.add(data, e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            return data;
        }

        private static byte[] readFile(Path path) {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new CliError("error reading " + path + ": no such file or directory");
            }
        }

        /**
         * KEY=VALUE lines: leading blanks and the lines that are empty or start with # are
         * skipped, the value is kept as written; a KEY alone takes the variable's value from
         * this process's environment (empty when unset).
         */
        private static Map<String, String> readEnvFile(Path path) {
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliError("error reading " + path + ": no such file or directory");
            }
            Map<String, String> entries = new java.util.LinkedHashMap<>();
            for (String raw : lines) {
                String line = raw.stripLeading();
                if (line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] kv = line.split("=", 2);
                if (!KeyRules.isEnvVarName(kv[0])) {
                    throw new CliError("\"" + kv[0] + "\" is not a valid key name: a valid environment variable name must consist"
                            + " of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g."
                            + " 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is"
                            + " '[-._a-zA-Z][-._a-zA-Z0-9]*')");
                }
                entries.put(kv[0], kv.length == 2 ? kv[1] : System.getenv().getOrDefault(kv[0], ""));
            }
            return entries;
        }
    }

    /** Adds one key to the data being built, or refuses it in the words of the kind's kubectl command. */
    interface KeyCheck {
        void add(Map<String, byte[]> data, String key, byte[] value);
    }

    static final String CONFIG_KEY_RULE = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
            + " (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    @Command(name = "configmap", aliases = "cm", description = "Create a config map from literals, files or an env file.")
    static final class ConfigMap implements Callable<Integer> {
        @Mixin
        CreateOptions options;

        @Mixin
        DataSources sources;

        @Parameters(paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String name = oneName(names, "create configmap");
            Map<String, byte[]> data = sources.read((map, key, value) -> {
                if (!KeyRules.isConfigKey(key)) {
                    throw new CliError("\"" + key + "\" is not a valid key name for a ConfigMap: " + CONFIG_KEY_RULE);
                }
                if (map.containsKey(key)) {
                    throw new CliError("cannot add key \"" + key + "\", another key by that name already exists in Data for ConfigMap \""
                            + name + "\"");
                }
                map.put(key, value);
            });
            ObjectNode cm = skeleton("ConfigMap", name);
            // Text goes to data; bytes that are not UTF-8 to binaryData, base64-encoded, as kubectl splits them.
            data.forEach((key, value) -> {
                String text = utf8OrNull(value);
                if (text != null) Json.objectAt(cm, "data").put(key, text);
                else Json.objectAt(cm, "binaryData").put(key, Base64.getEncoder().encodeToString(value));
            });
            if (cm.has("binaryData")) cm.set("binaryData", cm.remove("binaryData")); // after data, as kubectl orders them
            return options.create(cm, spec.commandLine().getOut());
        }

        private static String utf8OrNull(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }

    @Command(name = "secret", description = "Create a secret.", subcommands = Secret.Generic.class)
    static final class Secret implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 1;
        }

        @Command(name = "generic", description = "Create a secret from literals, files or an env file.")
        static final class Generic implements Callable<Integer> {
            @Mixin
            CreateOptions options;

            @Mixin
            DataSources sources;

            @Option(names = "--type", description = "The secret's type (default Opaque)")
            String type;

            @Parameters(paramLabel = "NAME")
            List<String> names = new ArrayList<>();

            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                String name = oneName(names, "create secret generic");
                Map<String, byte[]> data = sources.read((map, key, value) -> {
                    if (!KeyRules.isConfigKey(key)) {
                        throw new CliError("\"" + key + "\" is not valid key name for a Secret " + CONFIG_KEY_RULE);
                    }
                    if (map.containsKey(key)) throw new CliError("cannot add key " + key + ", another key by that name already exists");
                    map.put(key, value);
                });
                ObjectNode secret = skeleton("Secret", name);
                data.forEach((key, value) -> Json.objectAt(secret, "data").put(key, Base64.getEncoder().encodeToString(value)));
                if (type != null) secret.put("type", type);
                return options.create(secret, spec.commandLine().getOut());
            }
        }
    }
}
