package dev.mo.manifest;

/**
 * Where each field of one object was written: field path to 1-based line.
 * Objects that arrive as JSON over the API have no lines; they use {@link #NONE}.
 */
@FunctionalInterface
public interface LineMap {
    /** The line of this exact field path ({@code spec.template.spec.containers[0].image}), or 0 when unknown. */
    int lineOf(String fieldPath);

    LineMap NONE = path -> 0;
}
