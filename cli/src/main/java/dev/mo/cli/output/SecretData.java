package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** The size in bytes of each key of a secret: {@code data} is base64, {@code stringData} plain (merged as the API server does). */
final class SecretData {
    private SecretData() {}

    static Map<String, Integer> sizes(JsonNode secret) {
        Map<String, Integer> sizes = new TreeMap<>();
        secret.path("data").fields().forEachRemaining(e -> sizes.put(e.getKey(), decodedLength(e.getValue().asText())));
        secret.path("stringData").fields().forEachRemaining(e ->
                sizes.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8).length));
        return sizes;
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return base64.length();
        }
    }
}
