package dev.mo.store;

/** A write based on an old copy of an object: read it again and retry, as Kubernetes clients do. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) { super(message); }
}
