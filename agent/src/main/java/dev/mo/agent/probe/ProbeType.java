package dev.mo.agent.probe;

/** The three probes of a container, with their field name in the spec and the word the kubelet uses in events. */
public enum ProbeType {
    LIVENESS("livenessProbe", "Liveness"),
    READINESS("readinessProbe", "Readiness"),
    STARTUP("startupProbe", "Startup");

    private final String field;
    private final String title;

    ProbeType(String field, String title) {
        this.field = field;
        this.title = title;
    }

    /** {@code livenessProbe}, ... */
    public String field() { return field; }

    /** {@code Liveness}, as in "Liveness probe failed: ..." */
    public String title() { return title; }

    /** {@code liveness}, as in "Container web failed liveness probe" */
    public String word() { return title.toLowerCase(java.util.Locale.ROOT); }
}
