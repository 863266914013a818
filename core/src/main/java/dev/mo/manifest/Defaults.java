package dev.mo.manifest;
import com.fasterxml.jackson.databind.node.ObjectNode;
public final class Defaults { public static void apply(ObjectNode object) {} }
