package dev.mo.agent;

import java.time.Instant;

/**
 * Why the last attempt to start a container failed before it could run, and when to try again.
 *
 * @param reason  Kubernetes' waiting reason: {@code CreateContainerConfigError}, {@code ErrImagePull},
 *                {@code RunContainerError}
 * @param message Kubernetes' message, e.g. {@code configmap "app-config" not found}
 * @param image   the image, for the ImagePullBackOff message
 */
public record StartFailure(String reason, String message, String image, Instant failedAt, Instant retryAt) {
    public static final String CONFIG_ERROR = "CreateContainerConfigError";
    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    public static final String RUN_CONTAINER_ERROR = "RunContainerError";
}
