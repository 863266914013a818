package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mo patch KIND NAME -p PATCH [--type merge|strategic]}: a JSON merge patch of one
 * object, written back with the resourceVersion it was read at (so the server checks it as
 * it checks an apply). {@code strategic} is the same merge: lists are replaced whole, where
 * kubectl's strategic merge patch would merge list items by their key (a container by name).
 */
@Command(name = "patch", description = "Change fields of one object with a JSON merge patch.")
public final class PatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-p", "--patch"}, required = true, description = "The patch, a JSON object, e.g. '{\"spec\":{\"replicas\":3}}'")
    String patch;

    @Option(names = "--type", description = "merge or strategic (default; merges maps, replaces lists)")
    String type = "strategic";

    @Parameters(description = "KIND/NAME or KIND NAME")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!type.equals("merge") && !type.equals("strategic")) {
            throw new CliError("--type " + type + " is not supported by mo patch (merge and strategic are)");
        }
        JsonNode p = parse(patch);
        List<Kind> patchable = Arrays.stream(Kind.values()).filter(k -> k.userApplied() || k == Kind.POD).toList();
        ResourceArgs.Target t = Edits.target(args, "patch", patchable);
        String ns = t.kind().namespaced() ? client.namespaceOrDefault() : null;
        String[] readAt = new String[1];
        ObjectNode written = Edits.modify(client.client(), t.kind(), ns, t.name(), current -> {
            readAt[0] = Json.text(current, "metadata.resourceVersion");
            JsonNode patched = MergePatch.apply(current, p);
            return patched.equals(current) ? null : (ObjectNode) patched;
        });
        // The server answers with the stored object unchanged when the patch only restates it.
        boolean changed = written != null && !String.valueOf(readAt[0]).equals(Json.text(written, "metadata.resourceVersion"));
        spec.commandLine().getOut().println(t.kind().qualifiedName(t.name()) + " patched" + (changed ? "" : " (no change)"));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            // The patch is not echoed: it may carry a Secret's value.
            throw new CliError("unable to parse the patch (" + e.getMessage() + "): the patch must be a JSON object");
        }
    }
}
