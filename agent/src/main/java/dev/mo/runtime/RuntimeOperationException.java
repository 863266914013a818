package dev.mo.runtime;

/**
 * An engine operation failed for a reason worth showing to the user (image not found,
 * command not executable, ...). {@code containerId} is set when a container was left behind.
 */
public class RuntimeOperationException extends RuntimeException {
    private final String containerId;

    public RuntimeOperationException(String message, String containerId, Throwable cause) {
        super(message, cause);
        this.containerId = containerId;
    }

    public RuntimeOperationException(String message) {
        this(message, null, null);
    }

    /** The container created before the failure, or null. */
    public String containerId() { return containerId; }
}
