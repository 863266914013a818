package dev.mo.cli;

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
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mo scale deployment/web --replicas 3}: sets spec.replicas, as kubectl scale does. */
@Command(name = "scale", description = "Set the number of replicas of a Deployment or StatefulSet.")
public final class ScaleCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--replicas", required = true, description = "The new number of replicas")
    int replicas;

    @Parameters(description = "KIND/NAME or KIND NAME")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (replicas < 0) throw new CliError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
        ResourceArgs.Target t = Edits.target(args, "scale", List.of(Kind.DEPLOYMENT, Kind.STATEFUL_SET));
        Edits.modify(client.client(), t.kind(), client.namespaceOrDefault(), t.name(), o -> {
            if (Json.integer(o, "spec.replicas", 1) == replicas) return null;
            ((ObjectNode) o.get("spec")).put("replicas", replicas);
            return o;
        });
        spec.commandLine().getOut().println(t.kind().qualifiedName(t.name()) + " scaled");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
