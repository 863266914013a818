package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.cli.output.Describer;
import dev.mo.controlplane.ApiError;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code mo describe}: one object (or every object of a kind) in kubectl's layout, with its events. */
@Command(name = "describe", description = "Show an object in detail, with the events that explain its state.")
public final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(description = "KIND [NAME...] or KIND/NAME...")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MoClient api = client.client();
        String ns = client.namespaceOrDefault();
        List<ObjectNode> objects = new ArrayList<>();
        int missing = 0;
        for (ResourceArgs.Target t : ResourceArgs.parse(args)) {
            String scope = t.kind().namespaced() ? ns : null;
            if (t.name() == null) {
                objects.addAll(api.list(t.kind(), scope, null));
                continue;
            }
            try {
                objects.add(api.get(t.kind(), scope, t.name()));
            } catch (ApiError e) {
                if (e.status() != 404) throw e;
                spec.commandLine().getErr().println("Error from server (NotFound): " + e.getMessage());
                missing++;
            }
        }
        boolean first = true;
        for (ObjectNode o : objects) {
            if (!first) out.println();
            first = false;
            Kind kind = Meta.kind(o);
            List<ObjectNode> events = api.events(kind, Meta.namespace(o), Meta.name(o));
            out.print(Describer.describe(o, events, related(api, o), Clock.systemUTC()));
        }
        out.flush();
        return missing > 0 ? 1 : 0;
    }

    /**
     * What describe shows beside the object: a Deployment's ReplicaSets, a ReplicaSet's or
     * StatefulSet's or Job's pods, a Service's Endpoints, the Services and Endpoints an Ingress's backends
     * name, the pods that may use a claim.
     */
    private static List<ObjectNode> related(MoClient api, ObjectNode o) {
        String uid = Meta.uid(o);
        return switch (Meta.kind(o)) {
            case DEPLOYMENT -> owned(api.list(Kind.REPLICA_SET, Meta.namespace(o), null), uid);
            case REPLICA_SET, STATEFUL_SET, JOB -> owned(api.list(Kind.POD, Meta.namespace(o), null), uid);
            case PERSISTENT_VOLUME_CLAIM -> api.list(Kind.POD, Meta.namespace(o), null);
            case NODE -> api.list(Kind.POD, null, null);
            case SERVICE -> existing(api, Kind.ENDPOINTS, Meta.namespace(o), Set.of(Meta.name(o)));
            case INGRESS -> {
                Set<String> services = backendServices(o);
                List<ObjectNode> found = new ArrayList<>(existing(api, Kind.SERVICE, Meta.namespace(o), services));
                found.addAll(existing(api, Kind.ENDPOINTS, Meta.namespace(o), services));
                yield found;
            }
            default -> List.of();
        };
    }

    /** The named objects that could be read. */
    private static List<ObjectNode> existing(MoClient api, Kind kind, String ns, Set<String> names) {
        List<ObjectNode> found = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(api.get(kind, ns, name));
            } catch (ApiError e) {
                // Left out: the description says what could not be found.
            }
        }
        return found;
    }

    /** The Services an Ingress's default backend and paths send to. */
    private static Set<String> backendServices(ObjectNode ingress) {
        Set<String> names = new TreeSet<>();
        String defaultService = Json.text(ingress, "spec.defaultBackend.service.name");
        if (defaultService != null) names.add(defaultService);
        for (JsonNode rule : Json.at(ingress, "spec.rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                String service = Json.text(path, "backend.service.name");
                if (service != null) names.add(service);
            }
        }
        return names;
    }

    private static List<ObjectNode> owned(List<ObjectNode> candidates, String ownerUid) {
        return candidates.stream().filter(c -> ownerUid.equals(ObjectService.controllerUid(c))).toList();
    }
}
