package dev.mo.manifest;
public interface LineMap { int lineOf(String fieldPath); LineMap NONE = p -> 0; }
