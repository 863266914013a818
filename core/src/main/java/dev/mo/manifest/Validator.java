package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.Schema.FieldType;
import dev.mo.model.Kind;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one object the way the Kubernetes API server would: its kind and apiVersion, every
 * field against the schema of the Kubernetes types, then the value rules (names, ports,
 * selectors, quantities...). Returns the errors; adds warnings about fields mo does not act on.
 */
public final class Validator {
    /** Kinds mo makes itself; a manifest may not create them. */
    static final Set<Kind> MADE_BY_MO = EnumSet.of(Kind.NODE, Kind.REPLICA_SET, Kind.ENDPOINTS, Kind.EVENT);

    private Validator() {}

    /**
     * @param source      file name for the problems, or null
     * @param lines       where each field was written; {@link LineMap#NONE} for objects that arrive as JSON
     * @param warningsOut receives the warnings; may be null when the caller does not want them
     * @return the errors, sorted by line; empty when the object is valid
     */
    public static List<ManifestProblem> validate(ObjectNode object, String source, LineMap lines,
                                                 List<ManifestProblem> warningsOut) {
        Problems p = new Problems(source, lines);
        try {
            check(object, p);
        } catch (RuntimeException e) {
            // A bug in a rule must not take the API server down; report it like any other problem.
            p.error("", "internal error while validating: " + e);
        }
        if (warningsOut != null) warningsOut.addAll(p.warnings);
        return p.errors.stream().sorted(Comparator.comparingInt(ManifestProblem::line)).toList();
    }

    private static void check(ObjectNode object, Problems p) {
        if (object == null) {
            p.error("", "expected a Kubernetes object");
            return;
        }
        Optional<Kind> kind = kind(object, p);
        if (kind.isEmpty()) return;
        String apiVersion = Nodes.text(object, "apiVersion");
        FieldType root = Schema.KUBERNETES.root(kind.get().kindName(), apiVersion).orElseThrow();
        // A Secret's values stay out of error messages, which reach terminals, CI logs and events.
        SchemaCheck.check(object, root, Schema.KUBERNETES, p, kind.get() != Kind.SECRET);
        MetadataRules.check(object, kind.get(), p);
        switch (kind.get()) {
            case DEPLOYMENT -> WorkloadRules.deployment(object, p);
            case STATEFUL_SET -> WorkloadRules.statefulSet(object, p);
            case JOB -> JobRules.check(object, p);
            case POD -> PodSpecRules.check(Nodes.object(object, "spec"), "spec", null, Set.of(), p);
            case SERVICE -> ServiceRules.check(object, p);
            case INGRESS -> IngressRules.check(object, p);
            case NETWORK_POLICY -> NetworkPolicyRules.check(object, p);
            case HORIZONTAL_POD_AUTOSCALER -> AutoscalerRules.check(object, "autoscaling/v2".equals(apiVersion), p);
            case PERSISTENT_VOLUME_CLAIM -> PvcRules.check(Nodes.object(object, "spec"), "spec", p);
            case CONFIG_MAP -> ConfigDataRules.configMap(object, p);
            case SECRET -> ConfigDataRules.secret(object, p);
            default -> { }
        }
        SupportedFields.warn(object, kind.get(), p);
    }

    /** The object's kind, when kind and apiVersion name one that can be applied; otherwise reports why not. */
    private static Optional<Kind> kind(JsonNode object, Problems p) {
        String kindName = Nodes.text(object, "kind");
        String apiVersion = Nodes.text(object, "apiVersion");
        if (kindName == null || kindName.isEmpty()) {
            p.error("kind", Nodes.has(object, "kind") ? "must be a string, got " + SchemaCheck.describe(object.get("kind"))
                    : "required; mo accepts " + appliable());
        }
        if (apiVersion == null || apiVersion.isEmpty()) {
            p.error("apiVersion", Nodes.has(object, "apiVersion")
                    ? "must be a string, got " + SchemaCheck.describe(object.get("apiVersion")) : "required");
        }
        if (kindName == null || kindName.isEmpty()) return Optional.empty();
        Optional<Kind> kind = Kind.byKindName(kindName);
        if (kind.isEmpty()) {
            p.error("kind", "unknown kind \"" + kindName + "\"; mo accepts " + appliable());
            return Optional.empty();
        }
        if (MADE_BY_MO.contains(kind.get())) {
            p.error("kind", kindName + " objects are made by mo itself and cannot be applied");
            return Optional.empty();
        }
        if (apiVersion == null || apiVersion.isEmpty()) return Optional.empty();
        if (!kind.get().apiVersions().contains(apiVersion)) {
            p.error("apiVersion", "\"" + apiVersion + "\" does not serve kind " + kindName + "; use "
                    + String.join(" or ", kind.get().apiVersions()));
            return Optional.empty();
        }
        return kind;
    }

    private static String appliable() {
        return Arrays.stream(Kind.values()).filter(k -> !MADE_BY_MO.contains(k)).map(Kind::kindName)
                .collect(Collectors.joining(", "));
    }
}
