package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.controlplane.ApiError;
import dev.mo.model.Kind;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The client side of kubectl's edits (scale, set image, rollout undo/restart/pause/resume):
 * get the object, change it, replace it with the resourceVersion it was read at, and on a
 * 409 Conflict (someone wrote in between) read it again and redo the change.
 */
final class Edits {
    private static final int ATTEMPTS = 10;

    private Edits() {}

    /**
     * Applies {@code change} to the current object and writes it back. {@code change} gets a
     * copy and returns it changed, or null when there is nothing to write (then this returns
     * null). It may throw {@link CliError} to refuse.
     */
    static ObjectNode modify(MoClient api, Kind kind, String namespace, String name, UnaryOperator<ObjectNode> change) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = api.get(kind, namespace, name);
            ObjectNode changed = change.apply(current.deepCopy());
            if (changed == null) return null;
            try {
                return api.replace(changed);
            } catch (ApiError e) {
                if (e.status() != 409 || attempt >= ATTEMPTS) throw e;
            }
        }
    }

    /** The one object a command acts on ({@code KIND/NAME} or {@code KIND NAME}), of one of the kinds it supports. */
    static ResourceArgs.Target target(List<String> args, String verb, List<Kind> supported) {
        if (args.isEmpty()) throw new CliError("required resource not specified");
        List<ResourceArgs.Target> targets = ResourceArgs.parse(args);
        ResourceArgs.Target t = targets.get(0);
        if (t.name() == null) throw new CliError("resource(s) were provided, but no name was specified");
        if (targets.size() > 1) throw new CliError("mo " + verb + " takes one object at a time");
        if (!supported.contains(t.kind())) {
            throw new CliError("mo " + verb + " does not support " + t.kind().plural() + " (it supports "
                    + String.join(", ", supported.stream().map(Kind::plural).toList()) + ")");
        }
        return t;
    }
}
