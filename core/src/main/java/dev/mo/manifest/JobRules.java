package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The API server's rules for a batch/v1 Job (pkg/apis/batch/validation): counts that may not be
 * negative, a template whose pods end (restartPolicy OnFailure or Never), and a selector that the
 * API server generates unless {@code manualSelector} says the user chose it.
 */
final class JobRules {
    /** Kubernetes' cap on an Indexed Job's completions and parallelism: an index is a number in a label. */
    static final long MAX_INDEXED_COMPLETIONS = 100_000;

    private JobRules() {}

    static void check(JsonNode object, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { p.required("spec"); return; }
        Long completions = Nodes.integer(spec, "completions");
        Long parallelism = Nodes.integer(spec, "parallelism");
        p.atLeast("spec.parallelism", parallelism, 0);
        p.atLeast("spec.completions", completions, 0);
        p.atLeast("spec.backoffLimit", Nodes.integer(spec, "backoffLimit"), 0);
        p.atLeast("spec.activeDeadlineSeconds", Nodes.integer(spec, "activeDeadlineSeconds"), 1);
        p.atLeast("spec.ttlSecondsAfterFinished", Nodes.integer(spec, "ttlSecondsAfterFinished"), 0);
        String mode = Nodes.text(spec, "completionMode");
        p.oneOf("spec.completionMode", mode, "NonIndexed", "Indexed");
        if ("Indexed".equals(mode)) {
            // each index must be done once, so the number of indexes must be known
            if (completions == null && !p.hasErrorAt("spec.completions")) {
                p.error("spec.completions", "required when completionMode is Indexed");
            }
            p.range("spec.completions", completions, 0, MAX_INDEXED_COMPLETIONS);
            p.range("spec.parallelism", parallelism, 0, MAX_INDEXED_COMPLETIONS);
        }

        JsonNode template = Nodes.object(spec, "template");
        if (template == null && !p.hasErrorAt("spec.template")) p.required("spec.template");
        JsonNode templateMeta = Nodes.object(template, "metadata");
        MetadataRules.labels(templateMeta, "spec.template.metadata", p);
        MetadataRules.annotations(templateMeta, "spec.template.metadata", p);
        selector(spec, templateMeta, p);
        if (template != null) PodSpecRules.check(Nodes.object(template, "spec"), "spec.template.spec", "Job", Set.of(), p);
    }

    /**
     * With {@code manualSelector: true} the selector is the user's: required, not empty, matching
     * the template's labels. Without it the API server generates the selector, and one written in
     * the manifest is refused, unless it is a generated one read back from a stored Job
     * ({@code mo get job -o yaml | mo apply -f -}); the API server then keeps the stored one.
     */
    private static void selector(JsonNode spec, JsonNode templateMeta, Problems p) {
        JsonNode selector = Nodes.object(spec, "selector");
        boolean manual = spec.path("manualSelector").asBoolean(false);
        if (!manual) {
            if (selector != null && !Nodes.has(Nodes.object(selector, "matchLabels"), Jobs.CONTROLLER_UID)) {
                p.error("spec.selector", "`selector` not auto-generated: set spec.manualSelector: true to choose "
                        + "the selector yourself, or leave it out");
            }
            return;
        }
        if (selector == null) {
            if (!p.hasErrorAt("spec.selector")) p.required("spec.selector");
            return;
        }
        if (!Selectors.check(selector, "spec.selector", p)) return;
        if (Selectors.isEmpty(selector)) {
            p.error("spec.selector", "must not be empty: it would select every pod in the namespace");
            return;
        }
        if (p.hasErrorAt("spec.template.metadata.labels")) return;
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode templateLabels = Nodes.object(templateMeta, "labels");
        if (templateLabels != null) templateLabels.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        if (!Selectors.matches(selector, labels)) p.error("spec.selector", "does not match template labels");
    }
}
