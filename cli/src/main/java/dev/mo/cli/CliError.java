package dev.mo.cli;

/** A mistake in how a command was called, reported as {@code error: <message>} with exit code 1. */
public class CliError extends RuntimeException {
    public CliError(String message) { super(message); }
}
