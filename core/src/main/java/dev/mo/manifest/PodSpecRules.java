package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rules for a pod spec, wherever it appears: a Pod's {@code spec} or a workload's
 * {@code spec.template.spec}. Container-level rules live in {@link ContainerRules}.
 */
final class PodSpecRules {
    private static final List<String> VOLUME_SOURCES_CHECKED = List.of("configMap", "secret", "persistentVolumeClaim",
            "hostPath");

    private PodSpecRules() {}

    /**
     * @param workloadKind      "Deployment" or "StatefulSet" when the pod comes from a template (its restartPolicy
     *                          must then be Always), "Job" (OnFailure or Never), null for a Pod
     * @param claimTemplateNames volume names a StatefulSet adds through volumeClaimTemplates
     */
    static void check(JsonNode spec, String path, String workloadKind, Set<String> claimTemplateNames, Problems p) {
        if (spec == null) {
            if (!p.hasErrorAt(path)) p.required(path);
            return;
        }
        Set<String> volumes = volumes(spec, path + ".volumes", p);
        volumes.addAll(claimTemplateNames);

        List<JsonNode> containers = Nodes.items(spec, "containers");
        if (containers.isEmpty() && !p.hasErrorAt(path + ".containers")) {
            p.error(path + ".containers", "at least one container is required");
        }
        Set<String> containerNames = new HashSet<>();
        List<JsonNode> initContainers = Nodes.items(spec, "initContainers");
        for (int i = 0; i < initContainers.size(); i++) {
            ContainerRules.check(initContainers.get(i), FieldLines.item(path + ".initContainers", i), true,
                    containerNames, volumes, p);
        }
        for (int i = 0; i < containers.size(); i++) {
            ContainerRules.check(containers.get(i), FieldLines.item(path + ".containers", i), false,
                    containerNames, volumes, p);
        }

        String restartPolicy = Nodes.text(spec, "restartPolicy");
        p.oneOf(path + ".restartPolicy", restartPolicy, "Always", "OnFailure", "Never");
        if ("Job".equals(workloadKind)) {
            // A Job's pods must end; the API server defaults an absent policy to Always and then refuses it.
            if (restartPolicy == null) {
                p.error(path + ".restartPolicy", "must be OnFailure or Never for a Job (absent, it defaults to Always)");
            } else if (restartPolicy.equals("Always")) {
                p.error(path + ".restartPolicy", "must be OnFailure or Never for a Job, got \"Always\"");
            }
        } else if (workloadKind != null && restartPolicy != null && !restartPolicy.equals("Always")) {
            p.error(path + ".restartPolicy", "must be Always for a " + workloadKind + ", got \"" + restartPolicy + "\"");
        }
        p.oneOf(path + ".dnsPolicy", Nodes.text(spec, "dnsPolicy"), "ClusterFirst", "ClusterFirstWithHostNet",
                "Default", "None");
        p.atLeast(path + ".terminationGracePeriodSeconds", Nodes.integer(spec, "terminationGracePeriodSeconds"), 0);
        p.atLeast(path + ".activeDeadlineSeconds", Nodes.integer(spec, "activeDeadlineSeconds"), 1);
        SchedulingRules.check(spec, path, p);
    }

    /** Checks the pod's volumes and returns their names, for the volumeMounts check. */
    private static Set<String> volumes(JsonNode spec, String path, Problems p) {
        Set<String> names = new HashSet<>();
        List<JsonNode> volumes = Nodes.items(spec, "volumes");
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode volume = volumes.get(i);
            String v = FieldLines.item(path, i);
            String name = p.requiredText(volume, "name", v + ".name");
            if (name != null) {
                p.name(v + ".name", Names.dns1123Label(name));
                if (!names.add(name)) p.error(v + ".name", "duplicate volume name \"" + name + "\"");
            }
            List<String> sources = new ArrayList<>();
            // Only real volume sources count; a misspelt one is already an unknown-field error.
            for (String field : Schema.KUBERNETES.fields("Volume").keySet()) {
                if (!field.equals("name") && Nodes.has(volume, field)) sources.add(field);
            }
            if (sources.size() > 1) {
                p.error(v, "may not specify more than one volume source, got " + String.join(", ", sources));
            }
            checkSource(volume, v, p);
        }
        return names;
    }

    private static void checkSource(JsonNode volume, String v, Problems p) {
        for (String source : VOLUME_SOURCES_CHECKED) {
            JsonNode s = Nodes.object(volume, source);
            if (s == null) continue;
            String required = switch (source) {
                case "configMap" -> "name";
                case "secret" -> "secretName";
                case "persistentVolumeClaim" -> "claimName";
                default -> "path";
            };
            p.requiredText(s, required, v + "." + source + "." + required);
            p.range(v + "." + source + ".defaultMode", Nodes.integer(s, "defaultMode"), 0, 0777);
            List<JsonNode> items = Nodes.items(s, "items");
            for (int i = 0; i < items.size(); i++) {
                String item = FieldLines.item(v + "." + source + ".items", i);
                if (!Nodes.has(items.get(i), "key")) p.required(item + ".key");
                String itemPath = Nodes.text(items.get(i), "path");
                if (itemPath == null) {
                    if (!Nodes.has(items.get(i), "path")) p.required(item + ".path");
                } else if (itemPath.startsWith("/") || List.of(itemPath.split("/")).contains("..")) {
                    p.error(item + ".path", "must be a relative path without '..', got \"" + itemPath + "\"");
                }
            }
        }
    }

    /** A port given as a number (1-65535) or as the name of a container port (targetPort, probe ports). */
    static void portNumberOrName(JsonNode value, String path, Problems p) {
        if (value == null || value.isNull()) return;
        if (value.isIntegralNumber()) p.range(path, value.asLong(), 1, 65535);
        else if (value.isTextual()) p.name(path, Names.ianaServiceName(value.asText()));
    }
}
