package dev.mo.agent;

/**
 * A container cannot be configured yet: a ConfigMap, Secret or key it needs is missing. The
 * message is Kubernetes' own ({@code configmap "app-config" not found}); the container waits
 * with reason {@code CreateContainerConfigError} and the agent retries on every sync.
 */
public class ContainerConfigException extends Exception {
    public ContainerConfigException(String message) {
        super(message);
    }
}
