package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.manifest.LoadResult;
import dev.mo.manifest.ManifestDocument;
import dev.mo.manifest.ManifestLoader;
import dev.mo.manifest.ManifestProblem;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mo apply -f PATH}: reads every manifest, checks all of them here (so errors can name
 * file and line), then sends them in one request that the server applies all or nothing.
 */
@Command(name = "apply", description = "Apply manifests: files, directories (-R to recurse) or - for stdin.")
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--filename"}, required = true, description = "File, directory or - (stdin); repeatable")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Read directories recursively")
    boolean recursive;

    @Option(names = "--dry-run", description = "none (default) or server: check everything, change nothing")
    String dryRun = "none";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ObjectNode> objects = load(files, recursive, client.namespace, err);
        MoClient api = client.client();
        ObjectNode result = api.apply(objects, !"none".equals(dryRun));
        // The server checks again and may warn too; the warnings printed by load() already
        // said the same with file and line, so the server's copies are not repeated here.
        String suffix = "none".equals(dryRun) ? "" : " (server dry run)";
        for (JsonNode r : result.path("results")) {
            Kind kind = Kind.byKindName(r.path("kind").asText()).orElseThrow();
            out.println(kind.qualifiedName(r.path("name").asText()) + " " + r.path("action").asText() + suffix);
        }
        return 0;
    }

    /**
     * Loads and checks manifests; on any problem prints each one and fails before anything is
     * sent. Objects without a namespace get {@code -n}'s; one with another namespace is an
     * error, as in kubectl.
     */
    static List<ObjectNode> load(List<String> files, boolean recursive, String namespace, PrintWriter err) {
        LoadResult loaded = ManifestLoader.load(files, recursive, System.in);
        List<String> problems = new ArrayList<>();
        loaded.errors().forEach(p -> problems.add(p.format()));
        List<ObjectNode> objects = new ArrayList<>();
        for (ManifestDocument doc : loaded.documents()) {
            ObjectNode o = doc.object();
            Kind kind = Kind.byKindName(Json.text(o, "kind")).orElse(null);
            if (kind != null && kind.namespaced() && namespace != null) {
                String own = Meta.namespace(o);
                if (own == null) {
                    Json.objectAt(o, "metadata").put("namespace", namespace);
                } else if (!own.equals(namespace)) {
                    problems.add(new ManifestProblem(doc.source(), doc.line(), "metadata.namespace",
                            "the namespace from the provided object \"" + own + "\" does not match the namespace \""
                                    + namespace + "\". You must pass '--namespace=" + own + "' to perform this operation.")
                            .format());
                }
            }
            objects.add(o);
        }
        if (!problems.isEmpty()) {
            throw new CliError(String.join("\nerror: ", problems) + "\nerror: nothing was applied ("
                    + problems.size() + (problems.size() == 1 ? " problem)" : " problems)"));
        }
        loaded.warnings().forEach(w -> err.println("Warning: " + w.format()));
        if (objects.isEmpty()) throw new CliError("no objects passed to apply");
        return objects;
    }

}
