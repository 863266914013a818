package dev.mo.manifest;
import com.fasterxml.jackson.databind.node.ObjectNode;
public record ManifestDocument(String source, int line, ObjectNode object) {}
