package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** Rules for HorizontalPodAutoscaler, in autoscaling/v1 and autoscaling/v2. */
final class AutoscalerRules {
    /** A v2 metric's type names the member that must carry it. */
    private static final Map<String, String> METRIC_MEMBERS = Map.of("Object", "object", "Pods", "pods",
            "Resource", "resource", "ContainerResource", "containerResource", "External", "external");

    private AutoscalerRules() {}

    static void check(JsonNode object, boolean v2, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { if (!p.hasErrorAt("spec")) p.required("spec"); return; }
        JsonNode target = Nodes.object(spec, "scaleTargetRef");
        if (target == null) {
            if (!p.hasErrorAt("spec.scaleTargetRef")) p.required("spec.scaleTargetRef");
        } else {
            p.requiredText(target, "kind", "spec.scaleTargetRef.kind");
            p.requiredText(target, "name", "spec.scaleTargetRef.name");
        }
        Long max = Nodes.integer(spec, "maxReplicas");
        Long min = Nodes.integer(spec, "minReplicas");
        if (!Nodes.has(spec, "maxReplicas")) p.required("spec.maxReplicas");
        p.atLeast("spec.maxReplicas", max, 1);
        p.atLeast("spec.minReplicas", min, 1);
        if (min != null && max != null && min >= 1 && min > max) {
            p.error("spec.minReplicas", "must be less than or equal to maxReplicas (" + max + "), got " + min);
        }
        if (v2) {
            metrics(spec, p);
            JsonNode behavior = Nodes.object(spec, "behavior");
            for (String direction : List.of("scaleUp", "scaleDown")) {
                JsonNode rules = Nodes.object(behavior, direction);
                if (rules != null) scalingRules(rules, "spec.behavior." + direction, p);
            }
        } else {
            p.atLeast("spec.targetCPUUtilizationPercentage", Nodes.integer(spec, "targetCPUUtilizationPercentage"), 1);
        }
    }

    private static void metrics(JsonNode spec, Problems p) {
        List<JsonNode> metrics = Nodes.items(spec, "metrics");
        for (int i = 0; i < metrics.size(); i++) {
            String at = FieldLines.item("spec.metrics", i);
            String type = p.requiredText(metrics.get(i), "type", at + ".type");
            if (type == null) continue;
            String member = METRIC_MEMBERS.get(type);
            if (member == null) {
                p.oneOf(at + ".type", type, "Resource", "Pods", "Object", "ContainerResource", "External");
                continue;
            }
            JsonNode source = Nodes.object(metrics.get(i), member);
            if (source == null) {
                if (!p.hasErrorAt(at + "." + member)) p.error(at + "." + member, "required when type is " + type);
                continue;
            }
            if (member.equals("resource") || member.equals("containerResource")) {
                String resource = p.requiredText(source, "name", at + "." + member + ".name");
                String targetType = Nodes.text(Nodes.object(source, "target"), "type");
                if (member.equals("resource") && resource != null && (!resource.equals("cpu") || !"Utilization".equals(targetType))) {
                    // the paths are supported (cpu Utilization is acted on); these values are not
                    p.warning(at + ".resource", "accepted, but mo's HorizontalPodAutoscaler acts on cpu Utilization "
                            + "targets only, not " + resource + " " + targetType);
                }
            }
            if (member.equals("containerResource")) p.requiredText(source, "container", at + "." + member + ".container");
            if (member.equals("pods") || member.equals("object") || member.equals("external")) {
                p.requiredText(Nodes.object(source, "metric"), "name", at + "." + member + ".metric.name");
            }
            target(Nodes.object(source, "target"), at + "." + member + ".target", p);
        }
    }

    private static void target(JsonNode target, String at, Problems p) {
        if (target == null) { if (!p.hasErrorAt(at)) p.required(at); return; }
        String type = p.requiredText(target, "type", at + ".type");
        p.oneOf(at + ".type", type, "Utilization", "Value", "AverageValue");
        if ("Utilization".equals(type) && !Nodes.has(target, "averageUtilization")) p.required(at + ".averageUtilization");
        if ("Value".equals(type) && !Nodes.has(target, "value")) p.required(at + ".value");
        if ("AverageValue".equals(type) && !Nodes.has(target, "averageValue")) p.required(at + ".averageValue");
        p.atLeast(at + ".averageUtilization", Nodes.integer(target, "averageUtilization"), 1);
        for (String field : List.of("value", "averageValue")) {
            String q = Nodes.quantity(target.get(field));
            if (q != null && !Quantity.isValid(q)) p.error(at + "." + field, Quantity.EXPECTED + ", got \"" + q + "\"");
        }
    }

    private static void scalingRules(JsonNode rules, String at, Problems p) {
        p.range(at + ".stabilizationWindowSeconds", Nodes.integer(rules, "stabilizationWindowSeconds"), 0, 3600);
        p.oneOf(at + ".selectPolicy", Nodes.text(rules, "selectPolicy"), "Max", "Min", "Disabled");
        List<JsonNode> policies = Nodes.items(rules, "policies");
        for (int i = 0; i < policies.size(); i++) {
            String policy = FieldLines.item(at + ".policies", i);
            p.oneOf(policy + ".type", p.requiredText(policies.get(i), "type", policy + ".type"), "Pods", "Percent");
            if (!Nodes.has(policies.get(i), "value")) p.required(policy + ".value");
            p.atLeast(policy + ".value", Nodes.integer(policies.get(i), "value"), 1);
            if (!Nodes.has(policies.get(i), "periodSeconds")) p.required(policy + ".periodSeconds");
            p.range(policy + ".periodSeconds", Nodes.integer(policies.get(i), "periodSeconds"), 1, 1800);
        }
    }
}
