package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.VersionInfo;
import dev.mo.cli.output.KubectlYaml;
import dev.mo.model.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mo version [--client] [-o json|yaml]}: the client's version and the server's (from
 * {@code GET /version}), as kubectl prints them. kubectl also prints a "Kustomize Version:" line
 * and a {@code kustomizeVersion} field; mo has no kustomize built in, so it leaves them out.
 */
@Command(name = "version", description = "Print the client and server version information.")
public final class VersionCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--client", arity = "0..1", fallbackValue = "true",
            description = "If true, shows client version only (no server required).")
    boolean clientOnly;

    @Option(names = {"-o", "--output"}, description = "One of 'yaml' or 'json'.")
    String output = "";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!output.isEmpty() && !output.equals("json") && !output.equals("yaml")) {
            throw new CliError("--output must be 'yaml' or 'json'");
        }
        ObjectNode versions = Json.object();
        versions.set("clientVersion", VersionInfo.json());
        // As kubectl: the client's version is printed even when the server cannot be asked, and
        // that failure is the command's error afterwards.
        RuntimeException serverFailure = null;
        if (!clientOnly) {
            try {
                versions.set("serverVersion", client.client().serverVersion());
            } catch (RuntimeException e) {
                serverFailure = e;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "json" -> out.println(indentedJson(versions, ""));
            case "yaml" -> out.println(KubectlYaml.dump(versions));
            default -> {
                out.println("Client Version: " + versions.path("clientVersion").path("gitVersion").asText());
                if (versions.has("serverVersion")) {
                    out.println("Server Version: " + versions.path("serverVersion").path("gitVersion").asText());
                }
            }
        }
        out.flush();
        if (serverFailure != null) throw serverFailure;
        return 0;
    }

    /** Go's {@code json.MarshalIndent(v, "", "  ")}, which kubectl version uses: two spaces, {@code "key": value}. */
    static String indentedJson(JsonNode node, String indent) {
        if (!node.isObject()) return Json.write(node);
        if (node.isEmpty()) return "{}";
        StringBuilder b = new StringBuilder("{\n");
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            b.append(indent).append("  ").append(Json.write(Json.MAPPER.getNodeFactory().textNode(field.getKey())))
                    .append(": ").append(indentedJson(field.getValue(), indent + "  "));
            b.append(fields.hasNext() ? ",\n" : "\n");
        }
        return b.append(indent).append("}").toString();
    }
}
