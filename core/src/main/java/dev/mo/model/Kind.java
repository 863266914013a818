package dev.mo.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every kind of object {@code mo} knows, with the names kubectl accepts for it.
 * The store, the API paths and the CLI all look kinds up here, so there is one list.
 */
public enum Kind {
    NAMESPACE("Namespace", "namespaces", false, List.of("v1"), "ns"),
    NODE("Node", "nodes", false, List.of("v1"), "no"),
    CONFIG_MAP("ConfigMap", "configmaps", true, List.of("v1"), "cm"),
    SECRET("Secret", "secrets", true, List.of("v1")),
    PERSISTENT_VOLUME_CLAIM("PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("v1"), "pvc"),
    POD("Pod", "pods", true, List.of("v1"), "po"),
    SERVICE("Service", "services", true, List.of("v1"), "svc"),
    ENDPOINTS("Endpoints", "endpoints", true, List.of("v1"), "ep"),
    EVENT("Event", "events", true, List.of("v1"), "ev"),
    DEPLOYMENT("Deployment", "deployments", true, List.of("apps/v1"), "deploy"),
    REPLICA_SET("ReplicaSet", "replicasets", true, List.of("apps/v1"), "rs"),
    STATEFUL_SET("StatefulSet", "statefulsets", true, List.of("apps/v1"), "sts"),
    JOB("Job", "jobs", true, List.of("batch/v1")), // kubectl has no short name for jobs
    INGRESS("Ingress", "ingresses", true, List.of("networking.k8s.io/v1"), "ing"),
    NETWORK_POLICY("NetworkPolicy", "networkpolicies", true, List.of("networking.k8s.io/v1"), "netpol"),
    SERVICE_ACCOUNT("ServiceAccount", "serviceaccounts", true, List.of("v1"), "sa"),
    HORIZONTAL_POD_AUTOSCALER("HorizontalPodAutoscaler", "horizontalpodautoscalers", true,
            List.of("autoscaling/v2", "autoscaling/v1"), "hpa");

    private final String kindName;
    private final String plural;
    private final boolean namespaced;
    private final List<String> apiVersions;
    private final List<String> shortNames;

    Kind(String kindName, String plural, boolean namespaced, List<String> apiVersions, String... shortNames) {
        this.kindName = kindName;
        this.plural = plural;
        this.namespaced = namespaced;
        this.apiVersions = apiVersions;
        this.shortNames = List.of(shortNames);
    }

    /** The {@code kind} field as written in manifests, e.g. {@code Deployment}. */
    public String kindName() { return kindName; }

    /** The lower-case plural used in API paths and by {@code mo get}, e.g. {@code deployments}. */
    public String plural() { return plural; }

    public boolean namespaced() { return namespaced; }

    /** The apiVersions accepted for this kind; the first is the one stored and printed. */
    public List<String> apiVersions() { return apiVersions; }

    public String preferredApiVersion() { return apiVersions.get(0); }

    public List<String> shortNames() { return shortNames; }

    /** The API group ({@code apps}, {@code networking.k8s.io}), or "" for the core group. */
    public String group() {
        String v = preferredApiVersion();
        return v.contains("/") ? v.substring(0, v.indexOf('/')) : "";
    }

    /** How kubectl names the resource in messages: {@code deployments.apps}, {@code pods}. */
    public String pluralWithGroup() { return group().isEmpty() ? plural : plural + "." + group(); }

    /** The singular with the group, as kubectl prints it: {@code deployment.apps}, {@code pod}. */
    public String singularWithGroup() {
        return kindName.toLowerCase(Locale.ROOT) + (group().isEmpty() ? "" : "." + group());
    }

    /** How kubectl names an object in output: {@code deployment.apps/web}, {@code pod/web-1}. */
    public String qualifiedName(String name) { return singularWithGroup() + "/" + name; }

    /** Kinds a user creates with {@code mo apply}; the rest are made by {@code mo} itself. */
    public boolean userApplied() {
        return this != NODE && this != ENDPOINTS && this != EVENT && this != REPLICA_SET && this != POD;
    }

    /** Finds a kind by its manifest name ({@code Deployment}). */
    public static Optional<Kind> byKindName(String name) {
        return Arrays.stream(values()).filter(k -> k.kindName.equals(name)).findFirst();
    }

    /** {@code pods} → {@code pod}, {@code networkpolicies} → {@code networkpolicy}. */
    private static String singular(String plural) {
        if (plural.endsWith("ies")) return plural.substring(0, plural.length() - 3) + "y";
        return plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
    }

    /**
     * Finds a kind by any name kubectl accepts on the command line: plural, singular,
     * short name or kind name, in any case ({@code pods}, {@code pod}, {@code po}, {@code Pod}),
     * also with its API group, and version, after a dot, as {@code -o name} prints it
     * ({@code deployment.apps}, {@code deployments.v1.apps}, {@code ingresses.networking.k8s.io}).
     */
    public static Optional<Kind> byCliName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int dot = n.indexOf('.');
        String base = dot < 0 ? n : n.substring(0, dot);
        String qualifier = dot < 0 ? null : n.substring(dot + 1);
        return Arrays.stream(values())
                .filter(k -> k.plural.equals(base)
                        || k.kindName.toLowerCase(Locale.ROOT).equals(base)
                        || k.shortNames.contains(base)
                        || singular(k.plural).equals(base)
                        || (k == INGRESS && base.equals("ingress")))
                .filter(k -> qualifier == null || k.isQualifiedBy(qualifier))
                .findFirst();
    }

    /** Whether {@code qualifier} is this kind's group, or a version of it and the group ({@code apps}, {@code v1.apps}). */
    private boolean isQualifiedBy(String qualifier) {
        for (String apiVersion : apiVersions) {
            int slash = apiVersion.indexOf('/');
            if (slash < 0) continue; // the core group has no name to qualify with
            String group = apiVersion.substring(0, slash), version = apiVersion.substring(slash + 1);
            if (qualifier.equals(group) || qualifier.equals(version + "." + group)) return true;
        }
        return false;
    }
}
