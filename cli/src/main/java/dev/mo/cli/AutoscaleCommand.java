package dev.mo.cli;

import dev.mo.model.Meta;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ApiError;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mo autoscale deployment/web --cpu-percent=70 --min=2 --max=10}: creates an
 * autoscaling/v2 HorizontalPodAutoscaler named like its target, as kubectl autoscale does.
 */
@Command(name = "autoscale", description = "Create a HorizontalPodAutoscaler for a Deployment or StatefulSet.")
public final class AutoscaleCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--max", defaultValue = "-1", description = "The upper limit for the number of pods (required)")
    int max;

    @Option(names = "--min", defaultValue = "-1", description = "The lower limit for the number of pods (default: server's, 1)")
    int min;

    @Option(names = "--cpu-percent", defaultValue = "-1",
            description = "The target average CPU utilization over all pods, in percent of request (default: server's, 80)")
    int cpuPercent;

    @Option(names = "--name", description = "The name of the autoscaler (default: the target's name)")
    String name;

    @Parameters(description = "KIND/NAME or KIND NAME")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (max < 1) throw new CliError("--max=MAXPODS is required and must be at least 1, max: " + max);
        if (max < min) throw new CliError("--max=MAXPODS must be larger or equal to --min=MINPODS, max: " + max + ", min: " + min);
        ResourceArgs.Target t = Edits.target(args, "autoscale", List.of(Kind.DEPLOYMENT, Kind.STATEFUL_SET));
        var api = client.client();
        String ns = client.namespaceOrDefault();
        ObjectNode target = api.get(t.kind(), ns, t.name()); // NotFound reaches the user as kubectl's
        String hpaName = name == null || name.isBlank() ? t.name() : name;
        try {
            api.get(Kind.HORIZONTAL_POD_AUTOSCALER, ns, hpaName);
            throw new ApiError(409, "AlreadyExists",
                    List.of(Kind.HORIZONTAL_POD_AUTOSCALER.pluralWithGroup() + " \"" + hpaName + "\" already exists"));
        } catch (ApiError e) {
            if (e.status() != 404) throw e;
        }
        ObjectNode hpa = Meta.newObject(Kind.HORIZONTAL_POD_AUTOSCALER, ns, hpaName);
        ObjectNode hpaSpec = hpa.putObject("spec");
        ObjectNode ref = hpaSpec.putObject("scaleTargetRef");
        ref.put("apiVersion", Json.text(target, "apiVersion"));
        ref.put("kind", t.kind().kindName());
        ref.put("name", t.name());
        if (min > 0) hpaSpec.put("minReplicas", min);
        hpaSpec.put("maxReplicas", max);
        if (cpuPercent >= 0) {
            hpaSpec.putArray("metrics").addObject().put("type", "Resource").putObject("resource").put("name", "cpu")
                    .putObject("target").put("type", "Utilization").put("averageUtilization", cpuPercent);
        }
        api.apply(List.of(hpa), false);
        spec.commandLine().getOut().println(Kind.HORIZONTAL_POD_AUTOSCALER.qualifiedName(hpaName) + " autoscaled");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
