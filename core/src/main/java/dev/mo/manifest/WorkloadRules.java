package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules for Deployments and StatefulSets: replicas, selector against template, strategy, claim templates. */
final class WorkloadRules {
    private static final Pattern PERCENT = Pattern.compile("(\\d+)%");

    private WorkloadRules() {}

    static void deployment(JsonNode object, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { p.required("spec"); return; }
        common(spec, "Deployment", Set.of(), p);
        strategy(Nodes.object(spec, "strategy"), p);
        Long minReady = Nodes.integer(spec, "minReadySeconds");
        Long deadline = Nodes.integer(spec, "progressDeadlineSeconds");
        p.atLeast("spec.progressDeadlineSeconds", deadline, 1);
        if (deadline != null && minReady != null && deadline <= minReady) {
            p.error("spec.progressDeadlineSeconds", "must be greater than minReadySeconds (" + minReady + "), got " + deadline);
        }
    }

    static void statefulSet(JsonNode object, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { p.required("spec"); return; }
        p.requiredText(spec, "serviceName", "spec.serviceName");
        Set<String> claimNames = claimTemplates(spec, p);
        common(spec, "StatefulSet", claimNames, p);
        p.oneOf("spec.podManagementPolicy", Nodes.text(spec, "podManagementPolicy"), "OrderedReady", "Parallel");
        JsonNode update = Nodes.object(spec, "updateStrategy");
        String type = Nodes.text(update, "type");
        p.oneOf("spec.updateStrategy.type", type, "RollingUpdate", "OnDelete");
        if ("OnDelete".equals(type) && Nodes.has(update, "rollingUpdate")) {
            p.error("spec.updateStrategy.rollingUpdate", "may not be set when type is OnDelete");
        }
        JsonNode rolling = Nodes.object(update, "rollingUpdate");
        p.atLeast("spec.updateStrategy.rollingUpdate.partition", Nodes.integer(rolling, "partition"), 0);
        JsonNode retention = Nodes.object(spec, "persistentVolumeClaimRetentionPolicy");
        p.oneOf("spec.persistentVolumeClaimRetentionPolicy.whenDeleted", Nodes.text(retention, "whenDeleted"),
                "Retain", "Delete");
        p.oneOf("spec.persistentVolumeClaimRetentionPolicy.whenScaled", Nodes.text(retention, "whenScaled"),
                "Retain", "Delete");
        p.atLeast("spec.ordinals.start", Nodes.integer(Nodes.object(spec, "ordinals"), "start"), 0);
    }

    /** What Deployments and StatefulSets share: replicas, selector, template. */
    private static void common(JsonNode spec, String kind, Set<String> claimNames, Problems p) {
        p.atLeast("spec.replicas", Nodes.integer(spec, "replicas"), 0);
        p.atLeast("spec.revisionHistoryLimit", Nodes.integer(spec, "revisionHistoryLimit"), 0);
        p.atLeast("spec.minReadySeconds", Nodes.integer(spec, "minReadySeconds"), 0);
        JsonNode template = Nodes.object(spec, "template");
        if (template == null && !p.hasErrorAt("spec.template")) p.required("spec.template");
        JsonNode templateMeta = Nodes.object(template, "metadata");
        MetadataRules.labels(templateMeta, "spec.template.metadata", p);
        MetadataRules.annotations(templateMeta, "spec.template.metadata", p);
        selector(Nodes.object(spec, "selector"), spec.has("selector"), templateMeta, p);
        if (template != null) {
            PodSpecRules.check(Nodes.object(template, "spec"), "spec.template.spec", kind, claimNames, p);
        }
    }

    /** The selector is required, may not be empty, and must select the pods the template makes. */
    private static void selector(JsonNode selector, boolean present, JsonNode templateMeta, Problems p) {
        if (selector == null) {
            if (!present || !p.hasErrorAt("spec.selector")) p.required("spec.selector");
            return;
        }
        if (!Selectors.check(selector, "spec.selector", p)) return;
        if (Selectors.isEmpty(selector)) {
            p.error("spec.selector", "must not be empty: it would select every pod in the namespace");
            return;
        }
        if (p.hasErrorAt("spec.template.metadata.labels")) return; // wrong type: already reported
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode templateLabels = Nodes.object(templateMeta, "labels");
        if (templateLabels != null) templateLabels.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        if (!Selectors.matches(selector, labels)) p.error("spec.selector", "does not match template labels");
    }

    private static void strategy(JsonNode strategy, Problems p) {
        String type = Nodes.text(strategy, "type");
        p.oneOf("spec.strategy.type", type, "RollingUpdate", "Recreate");
        JsonNode rolling = Nodes.object(strategy, "rollingUpdate");
        if (rolling == null) return;
        if ("Recreate".equals(type)) {
            p.error("spec.strategy.rollingUpdate", "may not be set when type is Recreate");
            return;
        }
        Integer surge = intOrPercent(rolling.get("maxSurge"), "spec.strategy.rollingUpdate.maxSurge", p);
        Integer unavailable = intOrPercent(rolling.get("maxUnavailable"), "spec.strategy.rollingUpdate.maxUnavailable", p);
        JsonNode unavailableNode = rolling.get("maxUnavailable");
        if (unavailableNode != null && unavailableNode.isTextual() && unavailable != null && unavailable > 100) {
            p.error("spec.strategy.rollingUpdate.maxUnavailable", "must not be more than 100%, got " + unavailableNode.asText());
        }
        // Both are defaulted to 25% when absent, so only two explicit zeros stall a rollout.
        if (surge != null && unavailable != null && surge == 0 && unavailable == 0) {
            p.error("spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when maxSurge is 0");
        }
    }

    /** An int-or-percent value ({@code 1} or {@code "25%"}): returns the number, or null when absent or invalid. */
    private static Integer intOrPercent(JsonNode value, String path, Problems p) {
        if (value == null || value.isNull()) return null;
        if (value.isIntegralNumber()) {
            p.atLeast(path, value.asLong(), 0);
            return value.asLong() >= 0 ? value.asInt() : null;
        }
        if (!value.isTextual()) return null;
        Matcher m = PERCENT.matcher(value.asText());
        if (!m.matches()) {
            p.error(path, "must be an integer or a percentage like \"25%\", got \"" + value.asText() + "\"");
            return null;
        }
        return Integer.parseInt(m.group(1));
    }

    /** Checks volumeClaimTemplates and returns their names: pods mount them like volumes. */
    private static Set<String> claimTemplates(JsonNode spec, Problems p) {
        Set<String> names = new HashSet<>();
        List<JsonNode> templates = Nodes.items(spec, "volumeClaimTemplates");
        for (int i = 0; i < templates.size(); i++) {
            String at = FieldLines.item("spec.volumeClaimTemplates", i);
            JsonNode meta = Nodes.object(templates.get(i), "metadata");
            String name = p.requiredText(meta, "name", at + ".metadata.name");
            if (name != null) {
                p.name(at + ".metadata.name", Names.dns1123Label(name));
                if (!names.add(name)) p.error(at + ".metadata.name", "duplicate claim template name \"" + name + "\"");
            }
            MetadataRules.labels(meta, at + ".metadata", p);
            PvcRules.check(Nodes.object(templates.get(i), "spec"), at + ".spec", p);
        }
        return names;
    }
}
