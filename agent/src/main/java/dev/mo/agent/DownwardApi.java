package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.Quantity;
import dev.mo.model.Json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' downward API for environment variables: a pod's own fields
 * ({@code valueFrom.fieldRef}) and its container's resources ({@code valueFrom.resourceFieldRef}),
 * as the kubelet fills them in. {@code status.podIP} cannot be: a container's address is known
 * only once Docker has started it (a pod here has no sandbox that is created first).
 */
final class DownwardApi {
    private static final Pattern MAP_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

    private DownwardApi() {}

    /** The value of {@code fieldRef.fieldPath} for this pod on the node at {@code hostIp}. */
    static String field(ObjectNode pod, String fieldPath, String hostIp) throws ContainerConfigException {
        Matcher m = MAP_KEY.matcher(fieldPath);
        if (m.matches()) return pod.path("metadata").path(m.group(1)).path(m.group(2)).asText("");
        return switch (fieldPath) {
            case "metadata.name" -> Json.text(pod, "metadata.name");
            case "metadata.namespace" -> Json.text(pod, "metadata.namespace");
            case "metadata.uid" -> Json.text(pod, "metadata.uid");
            case "spec.nodeName" -> Json.text(pod, "spec.nodeName");
            case "spec.serviceAccountName" -> pod.path("spec").path("serviceAccountName").asText("default");
            case "status.hostIP", "status.hostIPs" -> hostIp;
            default -> throw new ContainerConfigException("fieldRef " + fieldPath + " is not supported by mo"
                    + (fieldPath.startsWith("status.podIP") ? " (a container's IP is known only after it starts)" : ""));
        };
    }

    /**
     * The value of {@code resourceFieldRef}: the container's request or limit divided by
     * {@code divisor} (default 1) and rounded up, as the kubelet does; an unset limit is the node's
     * allocatable amount ({@code allocatableCpuCores}, {@code allocatableMemoryBytes}).
     */
    static String resource(JsonNode container, JsonNode ref, int allocatableCpuCores, long allocatableMemoryBytes)
            throws ContainerConfigException {
        String resource = ref.path("resource").asText();
        String divisorText = ref.path("divisor").asText("1");
        String[] parts = resource.split("\\.", 2);
        if (parts.length != 2 || !(parts[0].equals("limits") || parts[0].equals("requests"))
                || !(parts[1].equals("cpu") || parts[1].equals("memory"))) {
            throw new ContainerConfigException("resourceFieldRef " + resource + " is not supported by mo");
        }
        String set = container.path("resources").path(parts[0]).path(parts[1]).asText(null);
        if (set == null && parts[0].equals("requests")) set = container.path("resources").path("limits").path(parts[1]).asText(null);
        BigDecimal amount = set != null ? Quantity.parse(set)
                : parts[0].equals("limits") ? BigDecimal.valueOf(parts[1].equals("cpu") ? allocatableCpuCores : allocatableMemoryBytes)
                : BigDecimal.ZERO;
        BigDecimal divisor = Quantity.parse(divisorText);
        if (divisor.signum() <= 0) throw new ContainerConfigException("resourceFieldRef " + resource + ": divisor must be positive");
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }
}
