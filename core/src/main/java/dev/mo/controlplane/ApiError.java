package dev.mo.controlplane;

import java.util.List;

/**
 * An error the API answers with: an HTTP status, Kubernetes' reason word and one or more
 * messages. The CLI prints the messages as they are, so they must read well on their own.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String reason;
    private final List<String> messages;

    public ApiError(int status, String reason, List<String> messages) {
        super(String.join("; ", messages));
        this.status = status;
        this.reason = reason;
        this.messages = List.copyOf(messages);
    }

    public static ApiError notFound(String message) { return new ApiError(404, "NotFound", List.of(message)); }

    public static ApiError invalid(List<String> messages) { return new ApiError(422, "Invalid", messages); }

    public static ApiError badRequest(String message) { return new ApiError(400, "BadRequest", List.of(message)); }

    public static ApiError forbidden(String message) { return new ApiError(403, "Forbidden", List.of(message)); }

    public int status() { return status; }

    public String reason() { return reason; }

    public List<String> messages() { return messages; }
}
