package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mo set image deployment/web web=nginx:1.25}: kubectl's set, for images. */
@Command(name = "set", description = "Change one field of an object.",
        subcommands = {SetCommand.Image.class, CommandLine.HelpCommand.class})
public final class SetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() { throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand"); }

    @Command(name = "image", description = "Set the image of containers in a Deployment's or StatefulSet's pod template.")
    public static final class Image implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(description = "KIND/NAME CONTAINER=IMAGE..., or KIND NAME CONTAINER=IMAGE... (* for every container)")
        List<String> args = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            int split = 0;
            while (split < args.size() && !args.get(split).contains("=")) split++;
            Map<String, String> images = new LinkedHashMap<>();
            for (String a : args.subList(split, args.size())) {
                int eq = a.indexOf('=');
                if (eq <= 0 || eq == a.length() - 1) throw new CliError("invalid image update " + a + ": use CONTAINER=IMAGE");
                images.put(a.substring(0, eq), a.substring(eq + 1));
            }
            if (images.isEmpty()) throw new CliError("at least one image update is required");
            ResourceArgs.Target t = Edits.target(args.subList(0, split), "set image", List.of(Kind.DEPLOYMENT, Kind.STATEFUL_SET));
            Edits.modify(client.client(), t.kind(), client.namespaceOrDefault(), t.name(), o -> {
                ObjectNode podSpec = Json.objectAt(o, "spec.template.spec");
                images.forEach((container, image) -> {
                    boolean found = false;
                    for (String list : List.of("initContainers", "containers")) {
                        for (JsonNode c : podSpec.path(list)) {
                            if (container.equals("*") || container.equals(c.path("name").asText())) {
                                ((ObjectNode) c).put("image", image);
                                found = true;
                            }
                        }
                    }
                    if (!found) throw new CliError("unable to find container named \"" + container + "\"");
                });
                return o;
            });
            spec.commandLine().getOut().println(t.kind().qualifiedName(t.name()) + " image updated");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
