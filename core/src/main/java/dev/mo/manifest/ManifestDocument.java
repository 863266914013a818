package dev.mo.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object read from a manifest.
 *
 * @param source where it came from, as the user named it ({@code deploy/web.yaml}, {@code <stdin>})
 * @param line   1-based line where the object starts in that source (0 when unknown)
 * @param object the object in Kubernetes' own JSON shape, exactly as written (not defaulted)
 */
public record ManifestDocument(String source, int line, ObjectNode object) {}
