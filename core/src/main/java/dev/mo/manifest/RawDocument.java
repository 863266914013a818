package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/** One document as read from text, before it is known to be a Kubernetes object. */
record RawDocument(JsonNode root, int line, FieldLines lines) {}
